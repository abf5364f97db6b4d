/* Stand-in for Windows' bcryptprimitives.dll (Wine 8.0 has none): ProcessPrng, which Rust's
 * standard library (1.78+) imports for random numbers — pydantic_core and python_calamine
 * are Rust extension modules. Filled from RtlGenRandom (advapi32 SystemFunction036). */
#include <windows.h>
typedef BOOLEAN (WINAPI *RtlGenRandomFn)(PVOID, ULONG);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    static RtlGenRandomFn gen;
    if (!gen) {
        HMODULE advapi = LoadLibraryA("advapi32.dll");
        gen = (RtlGenRandomFn)GetProcAddress(advapi, "SystemFunction036");
        if (!gen) return FALSE;
    }
    while (len) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!gen(data, chunk)) return FALSE;
        data += chunk; len -= chunk;
    }
    return TRUE;
}
