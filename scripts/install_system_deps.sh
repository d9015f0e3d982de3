#!/usr/bin/env bash
# Installs what the browser and validator tests need: Debian's chromium (never a
# downloaded browser), fonts, a Java runtime for the Nu HTML Checker, and the npm
# tools pinned in package-lock.json. Idempotent and quiet; fast when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-liberation >/dev/null 2>&1 || missing+=(fonts-liberation)
java -version >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ "${#missing[@]}" -gt 0 ]; then
    echo "install_system_deps: apt-get install ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci wipes node_modules, so only run it when the lock file changed since the last run.
stamp=node_modules/.installed-package-lock.json
if ! cmp -s package-lock.json "$stamp" || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
    echo "install_system_deps: npm ci"
    # --ignore-scripts: vnu-jar's install script would try to download a JDK.
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
    cp package-lock.json "$stamp"
fi
