# Tesseract (with its Simplified Chinese model) for reading scanned PDFs, and the CJK font
# the PDF tests draw plan tables with (WenQuanYi Zen Hei: TrueType outlines, so pdfminer can
# read back the text layer written with it). Sourced by ./run; installs Debian's packages
# when they are missing.
ocr_install() {
    local missing=()
    command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
    [ -n "$(ls /usr/share/tesseract-ocr/*/tessdata/chi_sim.traineddata 2>/dev/null)" ] \
        || missing+=(tesseract-ocr-chi-sim)
    [ -n "$(ls /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc 2>/dev/null)" ] \
        || missing+=(fonts-wqy-zenhei)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> installing ${missing[*]} from Debian's packages"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}
