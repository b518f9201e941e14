#!/usr/bin/env bash
# System packages the evaluation reports need, installed from Debian when missing:
#   fonts-noto-cjk   the Chinese fonts embedded in PDF reports and drawn in charts (OFL)
#   poppler-utils    pdftotext / pdffonts / pdftoppm, with which the tests read the PDFs
# Sourced by ./run; installs as root, or through sudo.

report_packages() {  # $1: "test" also wants poppler-utils
    local wanted=()
    [ -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] || wanted+=(fonts-noto-cjk)
    if [ "${1:-}" = "test" ] && ! command -v pdftotext >/dev/null 2>&1; then
        wanted+=(poppler-utils)
    fi
    [ ${#wanted[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "==> please install ${wanted[*]} (Chinese fonts for reports${1:+, PDF tools for the tests})" >&2
        return 0
    fi
    echo "==> installing ${wanted[*]} from Debian"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${wanted[@]}" >/dev/null
}
