#!/usr/bin/env bash
# Debian packages minsheng needs beside its Python ones, installed in one apt-get call when any
# is missing (sourced by ./run; as root, or through sudo):
#   tesseract-ocr, tesseract-ocr-chi-sim   OCR of scanned plan PDFs (ingest)
#   fonts-noto-cjk                         the Chinese fonts embedded in PDF reports and charts (OFL)
#   fonts-wqy-zenhei                       the CJK font the PDF tests draw plan tables with
#                                          (TrueType outlines: pdfminer reads its text back)
#   gcc, g++                               compile the SQLite scan's C reader and the C++ writer of
#                                          points' CSV lines at install (store/_sqlite_columns.c,
#                                          ingest/spatial/_column_text.cpp; optional, but slower without)
# and for the tests only:
#   poppler-utils                          pdftotext / pdffonts / pdftoppm, to read reports as a person would
#   chromium                               the browser the web tests drive with Playwright
# PostgreSQL for the tests is installed by scripts/postgres.sh, which also starts it.

_missing_packages() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
    done
}

system_packages() {  # $1: "test" adds the packages only the tests need
    local wanted=(tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk fonts-wqy-zenhei gcc g++)
    [ "${1:-}" = "test" ] && wanted+=(poppler-utils chromium)
    local missing
    mapfile -t missing < <(_missing_packages "${wanted[@]}")
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "==> please install ${missing[*]} (see scripts/system_packages.sh)" >&2
        return 0
    fi
    echo "==> installing ${missing[*]} from Debian's packages"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
