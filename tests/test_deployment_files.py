"""The container files (Dockerfile, docker-compose.yml, .dockerignore), checked statically.

There is no Docker engine where these tests run, so nothing here builds an image or
starts a container. Instead the files are read and held against what the code
expects: every variable the stack sets is one the settings read, the database and
Redis URLs point at the services that exist, every long-running service has a health
check, and the settings load with exactly the stack's environment.

Each check collects problems as sentences; the negative controls at the end break a
copy of the real files in one place each and show that the check notices.
"""

from __future__ import annotations

import ast
import copy
import fnmatch
import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SETTINGS_FILE = ROOT / "anhorigstod" / "settings.py"

ENVIRONMENT_ANCHOR = "x-app-environment"
APP_SERVICES = ("web", "worker", "beat")
REQUIRED_SERVICES = ("web", "worker", "beat", "db", "redis", "mail")
# What settings.py needs in production (it falls back to SQLite, in-process tasks and
# console e-mail without them).
REQUIRED_IN_PRODUCTION = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST")
DUMMY_SECRET = "compose-test-dummy-secret-key-that-is-long-enough-0123456789abcdef"

# What each health check must run (after Compose has turned $$ into $).
HEALTHCHECK_RUNS = {
    "db": ["pg_isready"],
    "redis": ["redis-cli ping"],
    "mail": ["/mailpit readyz"],
    "web": ["urllib", "http://127.0.0.1:8000/healthz/"],
    "worker": ["celery -A anhorigstod inspect ping -d celery@$HOSTNAME"],
    "beat": ["REDIS_URL"],
}
# Who must wait for whom, and for what.
DEPENDS_ON = {
    "web": {"db": "service_healthy", "redis": "service_healthy", "migrate": "service_completed_successfully"},
    "worker": {"db": "service_healthy", "redis": "service_healthy", "migrate": "service_completed_successfully"},
    "beat": {"redis": "service_healthy", "migrate": "service_completed_successfully"},
    "migrate": {"db": "service_healthy"},
}

# The libraries WeasyPrint dlopens when it is imported (weasyprint/text/ffi.py), and
# the Debian bookworm package that ships each (checked with dpkg -S on bookworm).
# None: optional for WeasyPrint and not packaged in bookworm.
WEASYPRINT_DEBIAN_PACKAGES: dict[str, str | None] = {
    "libgobject-2.0-0": "libglib2.0-0",
    "libpango-1.0-0": "libpango-1.0-0",
    "libpangoft2-1.0-0": "libpangoft2-1.0-0",
    "libharfbuzz-0": "libharfbuzz0b",
    "libharfbuzz-subset-0": "libharfbuzz-subset0",
    "libharfbuzz-vector-0": None,
    "libfontconfig-1": "libfontconfig1",
}
# Also needed in the image, though not at import: a font for the PDFs and msgfmt.
OTHER_DEBIAN_PACKAGES = ("fonts-dejavu-core", "gettext")

DOCKERIGNORE_ENTRIES = (
    ".venv",
    "node_modules",
    ".git",
    "db.sqlite3",
    "media",
    "private",
    "staticfiles",
    "tests/e2e/screenshots",
    "**/__pycache__",
)
BUILD_INPUTS = ("pyproject.toml", "constraints.txt", "manage.py", "anhorigstod", "templates", "static", "locale")


# --- Reading the files --------------------------------------------------------


class MissingVariableError(Exception):
    pass


_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<named>[A-Za-z_][A-Za-z0-9_]*))"
)
_UNESCAPED_DOLLAR = re.compile(r"(?<!\$)\$(?!\$)")


def interpolate(value: str, env: Mapping[str, str]) -> str:
    """Compose's variable substitution: $$, $NAME, ${NAME}, ${NAME:-default}, ${NAME:?error}.

    Stricter than Compose in one way: an unset variable without a default is an error
    here, where Compose would quietly substitute an empty string.
    """

    def replace(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["named"]
        op, arg = match["op"] or "", match["arg"] or ""
        if name in env and (env[name] != "" or not op.startswith(":")):
            return env[name]
        if op.endswith("-"):
            return arg
        raise MissingVariableError(f"{name}: {arg}" if arg else name)

    return _VARIABLE.sub(replace, value)


def load_compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def _scalar(name: str, value: Any) -> str:
    if value is None:
        raise AssertionError(f"{name} has no value in {ENVIRONMENT_ANCHOR}")
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def app_environment(compose: Mapping[str, Any], env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The shared environment as the containers see it (the secret key substituted)."""
    env = {"DJANGO_SECRET_KEY": DUMMY_SECRET} if env is None else env
    block = compose.get(ENVIRONMENT_ANCHOR) or {}
    return {name: interpolate(_scalar(name, value), env) for name, value in block.items()}


def as_argv(command: Any) -> list[str]:
    if command is None:
        return []
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def healthcheck_command(spec: Mapping[str, Any]) -> str:
    test = as_argv((spec.get("healthcheck") or {}).get("test"))
    if test[:1] in (["CMD"], ["CMD-SHELL"]):
        test = test[1:]
    try:
        return interpolate(" ".join(test), {})
    except MissingVariableError:  # an unescaped $; command_problems reports it
        return " ".join(test)


def long_running(compose: Mapping[str, Any]) -> list[str]:
    return [name for name, spec in compose["services"].items() if spec.get("restart") not in ("no", False)]


def settings_strings() -> set[str]:
    """Every string literal in settings.py outside its docstring (what a grep for "NAME" finds)."""
    tree = ast.parse(SETTINGS_FILE.read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree, clean=False)
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value != docstring
    }


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        keyword, _, arguments = current.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        current = ""
    return instructions


def apt_packages(instructions: list[tuple[str, str]]) -> set[str]:
    packages: set[str] = set()
    for keyword, arguments in instructions:
        if keyword != "RUN" or "apt-get install" not in arguments:
            continue
        words = shlex.split(arguments)
        start = words.index("install") + 1
        for word in words[start:]:
            if word in ("&&", ";", "||"):
                break
            if not word.startswith("-"):
                packages.add(word)
    return packages


def weasyprint_libraries() -> dict[str, bool]:
    """{first library name: required} for every _dlopen call in the installed WeasyPrint."""
    spec = importlib.util.find_spec("weasyprint")
    assert spec is not None and spec.origin is not None, "WeasyPrint is not installed"
    ffi = Path(spec.origin).parent / "text" / "ffi.py"
    libraries: dict[str, bool] = {}
    for node in ast.walk(ast.parse(ffi.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_dlopen":
            first = node.args[1]
            assert isinstance(first, ast.Constant), ast.dump(node)
            optional = any(
                kw.arg == "allow_fail" and isinstance(kw.value, ast.Constant) and kw.value.value is True
                for kw in node.keywords
            )
            libraries[str(first.value)] = not optional
    assert libraries, f"no _dlopen calls found in {ffi}: has WeasyPrint changed how it loads Pango?"
    return libraries


# --- The checks -----------------------------------------------------------------


def environment_problems(compose: dict[str, Any]) -> list[str]:
    if not isinstance(compose.get(ENVIRONMENT_ANCHOR), dict):
        return [f"there is no {ENVIRONMENT_ANCHOR} block"]
    shared = compose[ENVIRONMENT_ANCHOR]
    problems = []
    for service in (*APP_SERVICES, "migrate"):
        spec = compose["services"].get(service)
        # A YAML alias is one and the same object after loading; a copy or a merge is not.
        if spec is not None and spec.get("environment") is not shared:
            problems.append(f"{service} does not use the *app-environment anchor as its environment")
    read = settings_strings()
    for name in shared:
        if name not in read:
            problems.append(f"{name} is set in {ENVIRONMENT_ANCHOR} but not read by anhorigstod/settings.py")
    for name in REQUIRED_IN_PRODUCTION:
        if name not in shared:
            problems.append(f"{name} is required in production but missing from {ENVIRONMENT_ANCHOR}")
    return problems


def service_link_problems(compose: dict[str, Any]) -> list[str]:
    services = compose["services"]
    env = app_environment(compose)
    problems = []

    db_url = urlsplit(env.get("DATABASE_URL", ""))
    db_env = services.get("db", {}).get("environment", {})
    expected = {
        "scheme": (db_url.scheme, {"postgres", "postgresql"}),
        "host": (db_url.hostname, {"db"}),
        "port": (db_url.port, {None, 5432}),
        "user": (unquote(db_url.username or ""), {db_env.get("POSTGRES_USER")}),
        "password": (unquote(db_url.password or ""), {db_env.get("POSTGRES_PASSWORD")}),
        "database": (unquote(db_url.path.lstrip("/")), {db_env.get("POSTGRES_DB")}),
    }
    for part, (actual, allowed) in expected.items():
        if actual not in allowed:
            problems.append(
                f"DATABASE_URL {part} is {actual!r}, the db service expects one of {sorted(map(str, allowed))}"
            )

    redis_url = urlsplit(env.get("REDIS_URL", ""))
    if redis_url.scheme != "redis" or redis_url.hostname != "redis" or redis_url.port not in (None, 6379):
        problems.append(f"REDIS_URL {env.get('REDIS_URL')!r} does not point at the redis service")
    if not str(services.get("redis", {}).get("image", "")).startswith("redis:7"):
        problems.append("the redis service is not redis:7")
    if not str(services.get("db", {}).get("image", "")).startswith("postgres:15"):
        problems.append("the db service is not postgres:15")

    if env.get("EMAIL_HOST") != "mail" or env.get("EMAIL_PORT") != "1025":
        problems.append("EMAIL_HOST/EMAIL_PORT do not point at the mail service's SMTP port (mail:1025)")
    if not str(services.get("mail", {}).get("image", "")).startswith("axllent/mailpit"):
        problems.append("the mail service is not Mailpit")
    return problems


def healthcheck_problems(compose: dict[str, Any]) -> list[str]:
    problems = []
    for service in long_running(compose):
        spec = compose["services"][service]
        check = spec.get("healthcheck") or {}
        if not check.get("test") or check.get("disable"):
            problems.append(f"{service} has no healthcheck")
            continue
        command = healthcheck_command(spec)
        for needed in HEALTHCHECK_RUNS.get(service, []):
            if needed not in command:
                problems.append(f"{service}'s healthcheck does not run {needed!r}: {command!r}")
    return problems


def depends_on_problems(compose: dict[str, Any]) -> list[str]:
    problems = []
    for service, spec in compose["services"].items():
        depends_on = spec.get("depends_on") or {}
        if isinstance(depends_on, list):
            depends_on = {name: {"condition": "service_started"} for name in depends_on}
        for name in ("db", "redis"):
            if name in depends_on and depends_on[name].get("condition") != "service_healthy":
                problems.append(f"{service} depends on {name} without condition: service_healthy")
        for name, condition in DEPENDS_ON.get(service, {}).items():
            actual = (depends_on.get(name) or {}).get("condition")
            if actual != condition:
                problems.append(f"{service} must depend on {name} with condition {condition}, not {actual}")
    return problems


def command_problems(compose: dict[str, Any]) -> list[str]:
    services = compose["services"]
    problems = []
    for service, subcommand in (("worker", "worker"), ("beat", "beat")):
        argv = as_argv(services.get(service, {}).get("command"))
        if argv[:4] != ["celery", "-A", "anhorigstod", subcommand]:
            problems.append(f"{service} does not run celery -A anhorigstod {subcommand}: {argv}")
    if as_argv(services.get("migrate", {}).get("command")) != ["python", "manage.py", "migrate", "--noinput"]:
        problems.append("the migrate service does not run python manage.py migrate --noinput")
    if services.get("web", {}).get("command") is not None:
        problems.append("web overrides the image's gunicorn command")
    for service, spec in services.items():
        for what in ("command", "entrypoint"):
            text = " ".join(as_argv(spec.get(what)))
            if _UNESCAPED_DOLLAR.search(text):
                problems.append(f"{service}'s {what} has an unescaped $ (Compose would substitute it): {text!r}")
        test = " ".join(as_argv((spec.get("healthcheck") or {}).get("test")))
        if _UNESCAPED_DOLLAR.search(test):
            problems.append(f"{service}'s healthcheck has an unescaped $ (Compose would substitute it): {test!r}")
    return problems


def _named_mounts(compose: dict[str, Any], service: str) -> dict[str, str]:
    """{target path: named volume} for a service's named-volume mounts."""
    declared = compose.get("volumes") or {}
    mounts = {}
    for volume in compose["services"].get(service, {}).get("volumes") or []:
        if isinstance(volume, str):
            source, _, rest = volume.partition(":")
            target = rest.split(":")[0]
        else:
            source, target = volume.get("source", ""), volume.get("target", "")
        if source in declared:
            mounts[target] = source
    return mounts


def volume_problems(compose: dict[str, Any]) -> list[str]:
    problems = []
    private_root = app_environment(compose).get("PRIVATE_STORAGE_ROOT")
    if not private_root:
        problems.append("PRIVATE_STORAGE_ROOT is not set in the shared environment")
    else:
        sources = {service: _named_mounts(compose, service).get(private_root) for service in ("web", "worker")}
        if None in sources.values() or len(set(sources.values())) != 1:
            problems.append(f"web and worker do not share one named volume at PRIVATE_STORAGE_ROOT: {sources}")

    argv = as_argv(compose["services"].get("beat", {}).get("command"))
    schedule = next(
        (argv[i + 1] for i, word in enumerate(argv[:-1]) if word in ("-s", "--schedule")),
        next((word.split("=", 1)[1] for word in argv if word.startswith("--schedule=")), None),
    )
    if schedule is None:
        problems.append("beat has no --schedule file (the default is the read-only working directory)")
    elif str(Path(schedule).parent) not in _named_mounts(compose, "beat"):
        problems.append(f"beat's schedule file {schedule} is not on a named volume")

    if "db" in compose["services"] and "/var/lib/postgresql/data" not in _named_mounts(compose, "db"):
        problems.append("the db service keeps its data outside a named volume")
    return problems


def port_problems(compose: dict[str, Any]) -> list[str]:
    published = set()
    for port in compose["services"].get("web", {}).get("ports") or []:
        if isinstance(port, dict):
            published.add(str(port.get("target")))
        else:
            published.add(str(port).rsplit(":", 1)[-1].split("/")[0])
    return [] if "8000" in published else ["web does not publish port 8000"]


COMPOSE_CHECKS: tuple[Callable[[dict[str, Any]], list[str]], ...] = (
    environment_problems,
    service_link_problems,
    healthcheck_problems,
    depends_on_problems,
    command_problems,
    volume_problems,
    port_problems,
)


def compose_problems(compose: dict[str, Any]) -> list[str]:
    return [problem for check in COMPOSE_CHECKS for problem in check(compose)]


def dockerfile_problems(text: str) -> list[str]:
    instructions = dockerfile_instructions(text)
    problems = []

    if [args for keyword, args in instructions if keyword == "FROM"] != ["python:3.11-slim-bookworm"]:
        problems.append("the base image is not python:3.11-slim-bookworm")

    runs = [args for keyword, args in instructions if keyword == "RUN"]
    pip = [shlex.split(args) for args in runs if "pip install" in args]
    if not any(argv[i : i + 2] == ["-c", "constraints.txt"] for argv in pip for i in range(len(argv))):
        problems.append("pip install does not use -c constraints.txt")
    if not any(argv[-1] == "." for argv in pip):
        problems.append("pip does not install the project (.)")
    if any("[dev]" in word or word == "-e" for argv in pip for word in argv):
        problems.append("the image installs the dev extras or an editable project")

    collect = [args for args in runs if "collectstatic" in args]
    if not collect or "--noinput" not in collect[0] or "DJANGO_SECRET_KEY=" not in collect[0]:
        problems.append("collectstatic --noinput does not run at build time with a build-only secret key")
    for keyword, args in instructions:
        if keyword in ("ENV", "ARG") and "DJANGO_SECRET_KEY" in args:
            problems.append(f"DJANGO_SECRET_KEY is baked into the image by {keyword}")
        if keyword in ("RUN", "CMD", "ENTRYPOINT") and re.search(r"manage\.py\s+migrate", args):
            problems.append(f"the image runs migrations ({keyword})")

    users = [args for keyword, args in instructions if keyword == "USER"]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        problems.append("the image runs as root")

    cmd = " ".join(as_argv(json.loads(next((a for k, a in reversed(instructions) if k == "CMD"), "[]"))))
    for needed in ("gunicorn anhorigstod.wsgi:application", "--bind 0.0.0.0:8000", "--forwarded-allow-ips"):
        if needed not in cmd:
            problems.append(f"CMD does not contain {needed!r}: {cmd!r}")

    healthcheck = " ".join(args for keyword, args in instructions if keyword == "HEALTHCHECK")
    if "urllib" not in healthcheck or "/healthz/" not in healthcheck:
        problems.append("HEALTHCHECK does not fetch /healthz/ with urllib")

    installed = apt_packages(instructions)
    for library, required in weasyprint_libraries().items():
        if library not in WEASYPRINT_DEBIAN_PACKAGES:
            problems.append(f"WeasyPrint now also loads {library}: add its Debian package here and to the Dockerfile")
            continue
        package = WEASYPRINT_DEBIAN_PACKAGES[library]
        if package is None:
            if required:
                problems.append(f"WeasyPrint now requires {library}, which has no bookworm package listed here")
        elif package not in installed:
            problems.append(f"the Dockerfile does not install {package} (WeasyPrint loads {library})")
    for package in OTHER_DEBIAN_PACKAGES:
        if package not in installed:
            problems.append(f"the Dockerfile does not install {package}")
    return problems


# --- Tests on the real files --------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose()


def test_compose_parses_and_has_the_services(compose: dict[str, Any]) -> None:
    assert "version" not in compose, "the Compose specification has no version key"
    assert set(REQUIRED_SERVICES) <= set(compose["services"])
    assert set(REQUIRED_SERVICES) <= set(long_running(compose))


@pytest.mark.parametrize("check", COMPOSE_CHECKS, ids=lambda check: check.__name__)
def test_compose_file(compose: dict[str, Any], check: Callable[[dict[str, Any]], list[str]]) -> None:
    assert check(compose) == []


def test_the_stack_refuses_to_start_without_a_secret_key(compose: dict[str, Any]) -> None:
    with pytest.raises(MissingVariableError, match="DJANGO_SECRET_KEY"):
        app_environment(compose, env={})


def test_web_healthcheck_is_the_images_healthcheck(compose: dict[str, Any]) -> None:
    instructions = dockerfile_instructions(DOCKERFILE.read_text(encoding="utf-8"))
    image_check = next(args for keyword, args in instructions if keyword == "HEALTHCHECK")
    image_argv = json.loads(image_check[image_check.index("CMD [") + len("CMD ") :])
    assert compose["services"]["web"]["healthcheck"]["test"] == ["CMD", *image_argv]


def test_settings_load_with_exactly_the_compose_environment(compose: dict[str, Any]) -> None:
    env = {"PATH": os.environ["PATH"], **app_environment(compose)}
    code = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'anhorigstod.settings'; django.setup(); "
        "from django.conf import settings; db = settings.DATABASES['default']; print(json.dumps({"
        "'engine': db['ENGINE'], 'host': db['HOST'], 'name': db['NAME'], 'broker': settings.CELERY_BROKER_URL, "
        "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'cache': settings.CACHES['default']['BACKEND'], "
        "'email': [settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT], 'debug': settings.DEBUG, "
        "'private': str(settings.PRIVATE_STORAGE_ROOT)}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["broker"] == env["REDIS_URL"]
    assert (loaded["host"], loaded["name"]) == ("db", compose["services"]["db"]["environment"]["POSTGRES_DB"])
    assert loaded["eager"] is False
    assert loaded["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert loaded["email"] == ["django.core.mail.backends.smtp.EmailBackend", "mail", 1025]
    assert loaded["debug"] is False
    assert loaded["private"] == env["PRIVATE_STORAGE_ROOT"]


def test_dockerfile() -> None:
    assert dockerfile_problems(DOCKERFILE.read_text(encoding="utf-8")) == []


def test_dockerignore_keeps_local_state_out_and_build_inputs_in() -> None:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert [entry for entry in DOCKERIGNORE_ENTRIES if entry not in patterns] == []
    ignored_inputs = [path for path in BUILD_INPUTS for pattern in patterns if fnmatch.fnmatch(path, pattern)]
    assert ignored_inputs == []


# --- Negative controls: each check notices its kind of mistake -------------------


def _set_env(name: str, value: str) -> Callable[[dict[str, Any]], None]:
    def change(compose: dict[str, Any]) -> None:
        compose[ENVIRONMENT_ANCHOR][name] = value

    return change


def _drop_env(name: str) -> Callable[[dict[str, Any]], None]:
    return lambda compose: compose[ENVIRONMENT_ANCHOR].pop(name)


def _service(name: str, change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    return lambda compose: change(compose["services"][name])


BROKEN_COMPOSE = {
    "misspelt variable": (_set_env("DJANGO_SECRETKEY", "x"), "DJANGO_SECRETKEY is set"),
    "missing Redis": (_drop_env("REDIS_URL"), "REDIS_URL is required"),
    "beat with a copied environment": (
        _service("beat", lambda spec: spec.update(environment=dict(spec["environment"]))),
        "beat does not use the *app-environment anchor",
    ),
    "wrong database password": (
        _set_env("DATABASE_URL", "postgres://anhorigstod:other@db:5432/anhorigstod"),
        "DATABASE_URL password",
    ),
    "database on localhost": (
        _set_env("DATABASE_URL", "postgres://anhorigstod:anhorigstod@localhost:5432/anhorigstod"),
        "DATABASE_URL host",
    ),
    "Redis on localhost": (_set_env("REDIS_URL", "redis://localhost:6379/0"), "REDIS_URL"),
    "mail on the wrong port": (_set_env("EMAIL_PORT", "25"), "EMAIL_HOST/EMAIL_PORT"),
    "worker without healthcheck": (_service("worker", lambda spec: spec.pop("healthcheck")), "worker has no"),
    "web starting before db is healthy": (
        _service("web", lambda spec: spec["depends_on"]["db"].update(condition="service_started")),
        "web depends on db without condition: service_healthy",
    ),
    "worker not waiting for migrations": (
        _service("worker", lambda spec: spec["depends_on"].pop("migrate")),
        "worker must depend on migrate",
    ),
    "beat running a worker": (
        _service("beat", lambda spec: spec.update(command=["celery", "-A", "anhorigstod", "worker"])),
        "beat does not run celery -A anhorigstod beat",
    ),
    "unescaped $HOSTNAME": (
        _service(
            "worker",
            lambda spec: spec["healthcheck"].update(
                test=["CMD-SHELL", "celery -A anhorigstod inspect ping -d celery@$HOSTNAME"]
            ),
        ),
        "unescaped $",
    ),
    "worker without the private files": (_service("worker", lambda spec: spec.pop("volumes")), "PRIVATE_STORAGE_ROOT"),
    "web not published": (_service("web", lambda spec: spec.pop("ports")), "port 8000"),
}


@pytest.mark.parametrize("name", BROKEN_COMPOSE)
def test_compose_checks_catch(compose: dict[str, Any], name: str) -> None:
    change, expected = BROKEN_COMPOSE[name]
    broken = copy.deepcopy(compose)  # keeps the anchor shared, as YAML loaded it
    change(broken)
    problems = compose_problems(broken)
    assert any(expected in problem for problem in problems), problems


BROKEN_DOCKERFILE = {
    "no HarfBuzz subsetter": (lambda text: text.replace("libharfbuzz-subset0", ""), "libharfbuzz-subset0"),
    "no Pango": (lambda text: text.replace("libpango-1.0-0 \\", "\\"), "libpango-1.0-0"),
    "dev extras": (lambda text: text.replace("constraints.txt .", 'constraints.txt ".[dev]"'), "dev extras"),
    "no constraints": (lambda text: text.replace("-c constraints.txt", ""), "constraints.txt"),
    "runs as root": (lambda text: text.replace("USER app", "USER root"), "root"),
    "secret in ENV": (lambda text: text + "\nENV DJANGO_SECRET_KEY=oops\n", "baked into the image"),
    "migrates at build": (lambda text: text + "\nRUN python manage.py migrate --noinput\n", "migrations"),
    "wrong WSGI app": (lambda text: text.replace("anhorigstod.wsgi:application", "wsgi:app"), "gunicorn"),
}


@pytest.mark.parametrize("name", BROKEN_DOCKERFILE)
def test_dockerfile_checks_catch(name: str) -> None:
    change, expected = BROKEN_DOCKERFILE[name]
    original = DOCKERFILE.read_text(encoding="utf-8")
    broken = change(original)
    assert broken != original, "the control no longer changes the Dockerfile"
    problems = dockerfile_problems(broken)
    assert any(expected in problem for problem in problems), problems
