# shellcheck shell=bash
# Shared by start.sh and test.sh: make this machine able to run iptables-lab.
# Every step says what it does; anything we cannot do ourselves stops with the exact command to run.
set -euo pipefail

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mxx\033[0m %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }
is_debian_like() { [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; }

apt_install() {
  # $@: packages. Installs only when root on Debian/Ubuntu, otherwise names the command.
  if ! is_root || ! is_debian_like; then
    die "Missing: $*. Install it with: sudo apt-get install -y $*   (or your distribution's equivalent), then run this again."
  fi
  say "Installing $* from the Debian archive"
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null
}

# What was installed is known by the lock file's hash, kept in node_modules: a file's time would
# say "changed" for every fresh checkout or worktree of the same lock.
lock_hash() { sha256sum package-lock.json | cut -d' ' -f1; }
ensure_node_modules() {
  local marker=node_modules/.iptables-lab-lock
  if [ -d node_modules ] && [ -f "$marker" ] && [ "$(cat "$marker")" = "$(lock_hash)" ]; then
    say "Node modules are installed"
  elif [ -d node_modules ] && [ ! -f "$marker" ] && [ -f node_modules/.package-lock.json ] \
    && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
    lock_hash >"$marker"
    say "Node modules are installed"
  else
    say "Installing node modules (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    lock_hash >"$marker"
    keep_native_build
  fi
}

# better-sqlite3's installer (prebuild-install) unpacks a prebuilt binary from the npm cache or
# downloads one, and else compiles SQLite: minutes on two cores, for every fresh clone. After it
# compiled, the binary is kept in that cache under the name of the release it looks for there
# first (same version, Node ABI, platform and arch), so the next npm ci of this lock unpacks it.
# It loads the binary before it uses it; one that does not load is compiled again.
keep_native_build() {
  local built=node_modules/better-sqlite3/build/Release/better_sqlite3.node cached
  [ -f "$built" ] || return 0
  cached=$(node -e '
    const pkg = require("better-sqlite3/package.json");
    const util = require("prebuild-install/util");
    const rc = require("prebuild-install/rc")(pkg);
    console.log(util.cachedPrebuild(util.getDownloadUrl({ ...rc, pkg })));') || return 0
  [ -f "$cached" ] && return 0
  mkdir -p "$(dirname "$cached")"
  tar -czf "$cached.$$.tmp" -C node_modules/better-sqlite3 build/Release/better_sqlite3.node && mv "$cached.$$.tmp" "$cached"
  say "Kept the compiled better-sqlite3 for the next npm ci: $cached"
}

docker_answers() { docker info >/dev/null 2>&1; }

# Where the engine this script starts writes its log (unless a service manager runs it).
DOCKERD_LOG=${DOCKERD_LOG:-/var/log/iptables-lab-dockerd.log}

# Starts the engine so that it outlives this terminal and the server: under the service manager
# where one runs, else in a session of its own. A background job of this script would share the
# terminal's process group, and the Ctrl+C that stops the server would stop every lab with it.
start_dockerd() {
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && systemctl cat docker.service >/dev/null 2>&1; then
    say "Starting the Docker service (systemctl start docker; its log: journalctl -u docker)"
    systemctl start docker && return
  fi
  say "Starting dockerd in a session of its own, so it keeps running after the server stops (log: $DOCKERD_LOG)"
  setsid -f dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null
}

ensure_docker() {
  if docker_answers; then say "Docker engine is running"; return; fi
  if ! command -v dockerd >/dev/null 2>&1; then
    apt_install docker.io
  fi
  if ! docker_answers; then
    is_root || die "dockerd is not running. Start it with: sudo systemctl start docker   (or: sudo setsid -f dockerd)"
    start_dockerd
    for _ in $(seq 1 60); do docker_answers && break; sleep 0.5; done
    docker_answers || die "dockerd did not start; see $DOCKERD_LOG (or: journalctl -u docker)"
  fi
  say "Docker engine is running"
}

ensure_nftables() {
  # The server drops everything lab bridges send to the host itself with nftables rules.
  if command -v nft >/dev/null 2>&1; then say "nftables is installed"; return; fi
  apt_install nftables
}

ensure_base_image() {
  local base=debian:bookworm-slim
  if docker image inspect "$base" >/dev/null 2>&1; then return; fi
  say "Pulling $base"
  if timeout 60 docker pull -q "$base" >/dev/null 2>&1; then return; fi
  # No registry reachable: build the same base from the Debian archive, under the same tag,
  # so the Dockerfiles stay standard.
  say "No image registry answers: building $base locally with debootstrap (a few minutes, once)"
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  local dir
  dir=$(mktemp -d /tmp/iptables-lab-base.XXXXXX)
  debootstrap --variant=minbase bookworm "$dir" http://deb.debian.org/debian >/tmp/iptables-lab-debootstrap.log 2>&1 \
    || die "debootstrap failed; see /tmp/iptables-lab-debootstrap.log"
  tar -C "$dir" -c . | docker import - "$base" >/dev/null
  rm -rf "$dir"
}

# Content hash of everything an image is built from: its own folder in the build context, and
# the context's common/ (shared rootfs files) when there is one. $1: context, $2: image.
image_hash() {
  local dirs=("$2")
  [ -d "$1/common" ] && dirs+=(common)
  (cd "$1" && find "${dirs[@]}" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

ensure_lab_images() {
  # The images the catalog's topologies name (scripts/lab-images.ts), each from its own Dockerfile.
  # LAB_IMAGE_PREFIX (as the server reads it) lets two checkouts keep different images side by side.
  local name context dockerfile hash have prefix=${LAB_IMAGE_PREFIX:-iptables-lab} list
  list=$(npx tsx scripts/lab-images.ts) || die "Could not list the lab images from the catalog"
  while read -r name context dockerfile; do
    hash=$(image_hash "$context" "$name")
    have=$(docker image inspect -f '{{ index .Config.Labels "iptables-lab.hash" }}' "$prefix/$name" 2>/dev/null || true)
    if [ "$have" = "$hash" ]; then say "Lab image $prefix/$name is up to date"; continue; fi
    ensure_base_image
    say "Building lab image $prefix/$name (log: /tmp/iptables-lab-build-$name.log)"
    docker build --label "iptables-lab.hash=$hash" -t "$prefix/$name" -f "$dockerfile" "$context" >"/tmp/iptables-lab-build-$name.log" 2>&1 \
      || { tail -20 "/tmp/iptables-lab-build-$name.log" >&2; die "Building $prefix/$name failed"; }
  done <<<"$list"
}

# Content hash of everything the page is built from: web/ (its build output aside), protocol/ (the
# page imports it) and the lock file (the bundler and the page's libraries). Kept in web/dist.
web_hash() {
  { find web protocol -path web/dist -prune -o -type f -print0 | sort -z | xargs -0 sha256sum; sha256sum package-lock.json tsconfig.base.json; } \
    | sha256sum | cut -c1-16
}
ensure_web_build() {
  local marker=web/dist/.iptables-lab-hash hash
  hash=$(web_hash)
  if [ -f web/dist/index.html ] && [ -f "$marker" ] && [ "$(cat "$marker")" = "$hash" ]; then
    say "Web page is built"
  else
    say "Building the web page (vite)"
    npx vite build --config web/vite.config.ts --logLevel warn
    echo "$hash" >"$marker"
  fi
}

ensure_shellcheck() { # for npm run lint
  if command -v shellcheck >/dev/null 2>&1; then say "shellcheck is installed"; return; fi
  apt_install shellcheck
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then say "Chromium is installed"; return; fi
  apt_install chromium
}

ensure_host_tools() {
  # The server reads lab firewalls with the host's own iptables/nft/xtables-monitor, run in a
  # machine's network namespace via nsenter, so a learner cannot swap them for fakes. Checkers
  # also probe from clients with the host's ping, nc and curl; the nft variant of iptables
  # matches the lab images' backend. The lab journal reads the packets its nftables rules log
  # on the lab bridges with one tcpdump (NFLOG).
  local missing=() tool
  for tool in nsenter iptables-save iptables-nft-save iptables-restore xtables-monitor nft ip ping nc curl tcpdump; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if [ ${#missing[@]} -eq 0 ]; then say "Host firewall tools are installed"; return; fi
  say "Missing host tools: ${missing[*]}"
  apt_install iptables nftables util-linux iproute2 iputils-ping netcat-openbsd curl tcpdump
}

# The reverse-proxy test puts Debian's Caddy in front of the server (npm test only).
ensure_caddy() {
  if command -v caddy >/dev/null 2>&1; then say "Caddy is installed"; return; fi
  apt_install caddy
}

# The reverse-proxy test also puts Debian's nginx in front of the server, with its default Host (npm test only).
ensure_nginx() {
  if command -v nginx >/dev/null 2>&1; then say "nginx is installed"; return; fi
  apt_install nginx-light
}

# The start/stop test types `npm start` and Ctrl+C into a real terminal (npm test only).
ensure_tmux() {
  if command -v tmux >/dev/null 2>&1; then say "tmux is installed"; return; fi
  apt_install tmux
}

ensure_prereqs() {
  command -v node >/dev/null 2>&1 || die "Node.js 20 is required: install it (e.g. apt-get install -y nodejs npm) and run this again."
  ensure_node_modules
  ensure_docker
  ensure_host_tools
  ensure_nftables
  ensure_lab_images
  ensure_web_build
}
