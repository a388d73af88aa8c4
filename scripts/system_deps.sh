#!/usr/bin/env bash
# Debian packages the browser tests need: Chromium (driven by Playwright's Python package,
# never `playwright install`) and CJK fonts so screenshots show Chinese.
set -euo pipefail
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  echo "Chromium missing and cannot apt-get install it (not root or not Debian)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
