/* Stand-in for Windows 10's system icuuc.dll (Wine 8.0 has none), just the 20 functions
 * Qt6Core.dll (PySide6 6.11) imports: the ucnv_* converters behind QStringConverter's
 * non-built-in encodings. No converter exists: ucnv_open fails as ICU does for an unknown
 * name, ucnv_countAvailable is 0, so Qt keeps to its own UTF-8/16/32/Latin-1/locale codecs.
 * Only for building/trying the folder under Wine; real Windows has its own ICU. */
#include <stdint.h>
#include <stddef.h>
typedef int32_t UErrorCode;
#define U_FILE_ACCESS_ERROR 4
#define U_UNSUPPORTED_ERROR 16
#define EXPORT __declspec(dllexport)
static void fail(UErrorCode *err, UErrorCode code) { if (err && *err <= 0) *err = code; }

EXPORT void *ucnv_open(const char *name, UErrorCode *err) { (void)name; fail(err, U_FILE_ACCESS_ERROR); return NULL; }
EXPORT void ucnv_close(void *cnv) { (void)cnv; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT int32_t ucnv_fromUCountPending(const void *c, UErrorCode *err) { (void)c; fail(err, U_UNSUPPORTED_ERROR); return 0; }
EXPORT int32_t ucnv_toUCountPending(const void *c, UErrorCode *err) { (void)c; fail(err, U_UNSUPPORTED_ERROR); return 0; }
EXPORT void ucnv_fromUnicode(void *c, char **t, const char *tl, const uint16_t **s, const uint16_t *sl, int32_t *o, int8_t f, UErrorCode *err)
{ (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT void ucnv_toUnicode(void *c, uint16_t **t, const uint16_t *tl, const char **s, const char *sl, int32_t *o, int8_t f, UErrorCode *err)
{ (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT int8_t ucnv_getMaxCharSize(const void *c) { (void)c; return 1; }
EXPORT const char *ucnv_getName(const void *c, UErrorCode *err) { (void)c; fail(err, U_UNSUPPORTED_ERROR); return NULL; }
EXPORT const char *ucnv_getStandardName(const char *n, const char *std, UErrorCode *err) { (void)n; (void)std; fail(err, U_UNSUPPORTED_ERROR); return NULL; }
EXPORT void ucnv_getFromUCallBack(const void *c, void **action, const void **ctx) { (void)c; if (action) *action = NULL; if (ctx) *ctx = NULL; }
EXPORT void ucnv_getToUCallBack(const void *c, void **action, const void **ctx) { (void)c; if (action) *action = NULL; if (ctx) *ctx = NULL; }
EXPORT void ucnv_setFromUCallBack(void *c, void *a, const void *ctx, void **oa, const void **octx, UErrorCode *err)
{ (void)c; (void)a; (void)ctx; if (oa) *oa = NULL; if (octx) *octx = NULL; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT void ucnv_setToUCallBack(void *c, void *a, const void *ctx, void **oa, const void **octx, UErrorCode *err)
{ (void)c; (void)a; (void)ctx; if (oa) *oa = NULL; if (octx) *octx = NULL; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT void ucnv_reset(void *c) { (void)c; }
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *ctx, void *args, const uint16_t *cu, int32_t len, int32_t cp, int reason, UErrorCode *err)
{ (void)ctx; (void)args; (void)cu; (void)len; (void)cp; (void)reason; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *ctx, void *args, const char *cu, int32_t len, int reason, UErrorCode *err)
{ (void)ctx; (void)args; (void)cu; (void)len; (void)reason; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT void ucnv_cbFromUWriteUChars(void *args, const uint16_t **s, const uint16_t *sl, int32_t oi, UErrorCode *err)
{ (void)args; (void)s; (void)sl; (void)oi; fail(err, U_UNSUPPORTED_ERROR); }
EXPORT void ucnv_cbToUWriteUChars(void *args, const uint16_t *s, int32_t len, int32_t oi, UErrorCode *err)
{ (void)args; (void)s; (void)len; (void)oi; fail(err, U_UNSUPPORTED_ERROR); }
