# Debian's Chromium for the browser tests (sourced by ./run test); Playwright for Python drives it.
chromium_install() {
    if [ ! -x /usr/bin/chromium ]; then
        echo "==> installing Chromium from Debian's packages (browser tests)"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
    fi
}
