#!/usr/bin/env bash
# Shared set-up for ./run and ./test: a project virtualenv with everything installed.
# Sourced, not executed. Re-running is cheap: pip runs again only when pyproject.toml changes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON_BIN="${PYTHON:-python3}"

if ! "$PYTHON_BIN" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Python 3.11 or newer is needed; found: $("$PYTHON_BIN" --version 2>&1)" >&2
    exit 1
fi

install_debian_packages() {
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        if ! apt-get install -y -qq "$@" >/dev/null 2>&1; then
            apt-get update -qq >/dev/null 2>&1 || true
            apt-get install -y -qq "$@" >/dev/null 2>&1 || return 1
        fi
    else
        return 1
    fi
}
# A usable environment has pip. One that lacks it (Debian and Ubuntu without python3-venv make
# .venv/bin/python, then fail at ensurepip) is made again rather than kept, once the package
# that makes venvs whole is there.
venv_is_whole() {
    [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -m pip --version >/dev/null 2>&1
}
if ! venv_is_whole; then
    echo "Creating the virtual environment in .venv ..."
    rm -rf "$VENV"
    if ! "$PYTHON_BIN" -m venv "$VENV" >/dev/null 2>&1 || ! venv_is_whole; then
        rm -rf "$VENV"
        minor="$("$PYTHON_BIN" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
        install_debian_packages "python$minor-venv" || install_debian_packages python3-venv || true
        if ! "$PYTHON_BIN" -m venv "$VENV" || ! venv_is_whole; then
            rm -rf "$VENV"
            echo "Could not make a Python virtual environment with pip in it; install your" \
                "system's venv package (on Debian or Ubuntu: sudo apt install python3-venv)" \
                "and run this again." >&2
            exit 1
        fi
    fi
fi

stamp="$VENV/.installed-$(sha1sum "$ROOT/pyproject.toml" | cut -c1-12)"
if [ ! -f "$stamp" ]; then
    echo "Installing crm-desktop and its dependencies ..."
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[test]"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
fi

# Compiled translations are build output: rebuild them when a .ts source is newer.
for ts in "$ROOT"/resources/translations/*.ts; do
    [ -e "$ts" ] || continue
    qm="${ts%.ts}.qm"
    if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
        "$VENV/bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
    fi
done

# A font that has Chinese glyphs. Desktops ship one; a bare Linux box may not.
if command -v fc-list >/dev/null && ! fc-list :lang=zh | grep -q .; then
    install_debian_packages fonts-wqy-microhei \
        || echo "Note: no Chinese font found; install one (e.g. fonts-noto-cjk) to see Chinese text." >&2
fi

# Under X11, Qt's window plugin uses the system's xcb libraries; a bare box may lack some, and
# the window then never opens (Qt names only xcb-cursor0). Only where there is a display.
if [ -n "${DISPLAY:-}" ] && command -v ldd >/dev/null; then
    xcb_plugin="$("$VENV/bin/python" -c 'import PySide6, pathlib; print(pathlib.Path(PySide6.__file__).parent / "Qt/plugins/platforms/libqxcb.so")' 2>/dev/null || true)"
    if [ -f "$xcb_plugin" ] && ldd "$xcb_plugin" 2>/dev/null | grep -q "not found"; then
        install_debian_packages libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 \
            libxcb-render-util0 libxkbcommon-x11-0 \
            || echo "Note: the window needs X11 libraries missing here: $(ldd "$xcb_plugin" | awk '/not found/ {print $1}' | tr '\n' ' ')" >&2
    fi
fi
