#!/usr/bin/env bash
# Install the Debian packages leafpress needs, only those missing.
# As root this runs apt-get; otherwise it prints the command to run.
set -euo pipefail

packages=(
  libpango-1.0-0 libpangoft2-1.0-0   # text layout for WeasyPrint
  libharfbuzz-subset0                # fast font subsetting (about 5x faster PDFs)
  fonts-noto-core                    # Noto Sans and the scripts leaflets are written in
  fonts-dejavu-core                  # DejaVu Sans: Hebrew with its punctuation in one font
  fonts-noto-cjk                     # Chinese, Japanese, Korean (about 90 MB: no smaller package covers them)
  poppler-utils                      # pdftotext, pdfinfo, pdftoppm for checks and tests
  chromium chromium-driver           # headless browser: the HTML format's accessibility test, the preview's tests
  liblouis-bin liblouis-data         # braille format: lou_translate and its UEB, Welsh and other tables
  espeak-ng                          # audio format: offline speech, British English and Welsh voices
  lame                               # audio format: MP3 encoding
  epubcheck                          # epub format: the EPUB validator the tests run
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

# Node and npm fetch axe-core for the html format's accessibility test; any install of them will do.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "leafpress needs these system packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
