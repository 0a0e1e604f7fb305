#!/usr/bin/env bash
# Extract every message from crm_desktop/ into the .ts files, then compile the .qm files.
# Translate the new (type="unfinished") messages in crm_desktop_zh_CN.ts with Qt Linguist or an
# editor, then run this again; tests/test_translations.py checks nothing is left untranslated.
#
#   -tr-function-alias QT_TRANSLATE_NOOP+=T   the sources write `T = QT_TRANSLATE_NOOP` and mark
#                                             Fields/Columns/Choices/RecordForm labels with T(...)
#   extra_sources.py                          messages lupdate misses (tr() inside f-strings)
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${VENV:-.venv}"
sources=$(find crm_desktop -name '*.py' -not -path '*/__pycache__/*' | sort)
for lang in zh_CN en; do
    "$VENV/bin/pyside6-lupdate" -silent -no-obsolete -locations relative \
        -tr-function-alias QT_TRANSLATE_NOOP+=T \
        -source-language en -target-language "$lang" \
        $sources resources/translations/extra_sources.py \
        -ts "resources/translations/crm_desktop_$lang.ts"
    "$VENV/bin/pyside6-lrelease" -silent "resources/translations/crm_desktop_$lang.ts" \
        -qm "resources/translations/crm_desktop_$lang.qm"
done
