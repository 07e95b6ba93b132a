"""Requests per second of the API's hottest reads under the production server, against the
framework's floor and against the same reads written the DRF-tutorial way.

Creates a PostgreSQL database (`BENCH_POSTGRES_URL`'s server, default the local one), seeds 50
locations with current weather, collects the static files, and starts the server exactly as the
image does: the command of `docker/Dockerfile`'s `CMD` (gunicorn, its worker count, the
project's uvicorn workers from `gunicorn.conf.py`), bound to a loopback port, `DJANGO_DEBUG`
off, logging at the production level (one access line a request). The only change is the URL
map (`benchmarks/api/urls.py`), which adds (and prometheus-client's multiprocess mode in a
folder of the run's own, as the image runs it; `BENCH_API_PROMETHEUS_MULTIPROC=0` for without):

- `GET /floor/`: a plain Django view returning constant JSON, behind the same middleware on the
  same server: the most any endpoint of this stack can do;
- the peer (`benchmarks/api/peer.py`): the location list and current weather as DRF's tutorial
  writes them (`ModelViewSet`, `ModelSerializer`, page-number pagination, no cache).

`wrk` (Debian's package) keeps 50 connections alive and measures the location list (50 items),
the list with `?include=current`, current weather (60 s, the workers' memory read before and
after) and the peer's two, with the floor run before the first and after each: every ratio to
the floor is to the mean of the two floor runs around the read (the machine's speed drifts by a
quarter within a minute, more than the differences measured), and ours to the peer's is of those
shares of the floor. Printed: requests per second, p50/p99 latency, errors (non-2xx answers,
socket errors: the target is none; each endpoint is checked to answer 200 first, since wrk does
not count a 3xx), the workers' CPU time per request, each rate's ratio to the floor (target: at
least 50%) and ours to the peer's (target: at least 2×), each beside the same ratio of CPU
times. The three reads keep their rendered answers as production does
(`API_KEEP_ANSWERS_SECONDS`, docs/decisions/0027), so the targets measure the same request
repeated, as a crowd of readers makes it; a second server then runs the three with every answer
rendered afresh, each after a floor run, printed for reference without a target.
`BENCH_API_SECONDS` runs every measurement that many seconds (default 10, and 60 for current
weather) for a quick run. Without wrk on PATH it stops and says to `apt-get install -y wrk`.

The load generator runs on the same machine as the server and takes some of its CPU, so the
absolute numbers depend on the machine and its load; the ratios are the figures to compare, and
on a machine busy with other work the CPU ratios are the steadier of the two.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from benchmarks.scratch_database import scratch_postgres
from benchmarks.servers import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
CONNECTIONS = 50
SECONDS = int(os.environ.get("BENCH_API_SECONDS", "10"))
LONG_SECONDS = int(os.environ.get("BENCH_API_SECONDS", "60"))
FLOOR_SECONDS = max(2, SECONDS // 2)
#: As the image runs: prometheus-client's multiprocess mode, in a folder of the run's own
#: (`BENCH_API_PROMETHEUS_MULTIPROC=0`: each worker counts in memory, as before issue 16).
MULTIPROCESS_METRICS = os.environ.get("BENCH_API_PROMETHEUS_MULTIPROC", "1") != "0"
FLOOR_TARGET = 0.50
PEER_TARGET = 2.0
INSTALL_WRK = "apt-get install -y wrk"


@dataclass(frozen=True)
class Figure:
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    seconds: int
    #: CPU time the workers spent per request (less sensitive than the rate to other work on
    #: the machine, which takes turns on the cores but does not add to this).
    cpu_ms: float = 0.0


def production_command() -> list[str]:
    """The image's `CMD` (a JSON array in docker/Dockerfile)."""
    for line in (ROOT / "docker" / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD "):
            command: list[str] = json.loads(line[len("CMD ") :])
            return command
    raise RuntimeError("docker/Dockerfile has no CMD [...] line")


def _served_locally(command: list[str], port: int) -> list[str]:
    """`command` run by this interpreter's gunicorn, bound to a loopback port."""
    if command[0] != "gunicorn":
        raise RuntimeError(f"the image's command is not gunicorn's: {command}")
    argv = [sys.executable, "-m", "gunicorn", *command[1:]]
    for index, argument in enumerate(argv):
        if argument in ("--bind", "-b"):
            argv[index + 1] = f"127.0.0.1:{port}"
        elif argument.startswith("--bind="):
            argv[index] = f"--bind=127.0.0.1:{port}"
    return argv


def _wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit(
            f"benchmarks.api needs the load generator wrk on PATH: `{INSTALL_WRK}` (Debian)"
        )
    return found


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * _UNIT_MS[unit]


def parse_wrk(output: str, seconds: int) -> Figure:
    """wrk's report (`--latency`): rate, p50/p99, and every error it counts."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = 0
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket:
        errors += sum(int(count) for count in socket.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    if p50 is None or p99 is None:
        raise RuntimeError(f"no latency distribution in wrk's report:\n{output}")
    return Figure(rate, _ms(p50.group(1)), _ms(p99.group(1)), requests, errors, seconds)


def _load(wrk: str, url: str, seconds: int, master: int) -> Figure:
    # One wrk thread: plenty for this rate, and it leaves the second core to the server.
    argv = [wrk, "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    argv += ["-H", "Accept: application/json", url]
    cpu_before = _workers_cpu_seconds(master)
    done = subprocess.run(argv, check=True, capture_output=True, text=True)
    cpu = _workers_cpu_seconds(master) - cpu_before
    figure = parse_wrk(done.stdout, seconds)
    return replace(figure, cpu_ms=1000 * cpu / max(figure.requests, 1))


def _workers(master: int) -> list[str]:
    return Path(f"/proc/{master}/task/{master}/children").read_text().split()


def _workers_cpu_seconds(master: int) -> float:
    ticks = 0
    for pid in _workers(master):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks / os.sysconf("SC_CLK_TCK")


def _answers_200(url: str) -> None:
    """Each endpoint is checked once: a 3xx would not count as an error for wrk."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")


def _workers_rss_mib(master: int) -> list[float]:
    sizes = []
    for pid in _workers(master):
        status = Path(f"/proc/{pid}/status").read_text()
        kib = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        if kib:
            sizes.append(int(kib.group(1)) / 1024)
    return sizes


def _environment(database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.api.settings",
        "DJANGO_ENV_FILE": "",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        # Production's throttles run (and count) on every request, but never refuse one here.
        "API_THROTTLE_ANON": "100000000/minute",
        "API_THROTTLE_USER": "100000000/minute",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    env.pop("USE_POSTGRES", None)
    return env


def _run_manage(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


#: The reads measured, in order; the floor runs before the first and after each.
READS = ("list", "list+current", "current", "peer list", "peer current")


#: The project's reads (not the peer's): held to the floor's target, and measured again with
#: every answer rendered afresh.
OURS = ("list", "list+current", "current")


def read_paths(location_id: str) -> dict[str, str]:
    """The path of each read of `READS`."""
    return {
        "list": "/api/v1/locations/",
        "list+current": "/api/v1/locations/?include=current",
        "current": f"/api/v1/locations/{location_id}/weather/current/",
        "peer list": "/peer/locations/",
        "peer current": f"/peer/locations/{location_id}/weather/current/",
    }


def measure(base: str, location_id: str, master: int) -> tuple[dict[str, Figure], list[float]]:
    wrk = _wrk()
    paths = {"floor": "/floor/", **read_paths(location_id)}
    for path in paths.values():
        _answers_200(base + path)
        _load(wrk, base + path, 2, master)  # warm up: every worker has served it, connections open
    figures: dict[str, Figure] = {"floor 0": _load(wrk, base + "/floor/", FLOOR_SECONDS, master)}
    memory: list[float] = []
    for index, label in enumerate(READS, start=1):
        if label == "current":
            memory += [sum(_workers_rss_mib(master))]
            figures[label] = _load(wrk, base + paths[label], LONG_SECONDS, master)
            memory += [sum(_workers_rss_mib(master))]
        else:
            figures[label] = _load(wrk, base + paths[label], SECONDS, master)
        figures[f"floor {index}"] = _load(wrk, base + "/floor/", FLOOR_SECONDS, master)
    return figures, memory


def bracketing_floor(figures: dict[str, Figure], label: str) -> Figure:
    """The floor as it was around `label`'s run: the mean of the runs just before and after it
    (rates and CPU times), so that the machine's drift between runs cancels out of the ratio."""
    index = READS.index(label)
    before, after = figures[f"floor {index}"], figures[f"floor {index + 1}"]
    return replace(
        before,
        rate=(before.rate + after.rate) / 2,
        cpu_ms=(before.cpu_ms + after.cpu_ms) / 2,
        requests=before.requests + after.requests,
        errors=before.errors + after.errors,
    )


LABELS = {
    "list": "GET /api/v1/locations/ (50 items)",
    "list+current": "GET /api/v1/locations/?include=current",
    "current": "GET …/weather/current/",
    "peer list": "peer: ModelViewSet list (50 items)",
    "peer current": "peer: ModelViewSet …/weather/current/",
}
PEERS = {"list": "peer list", "current": "peer current"}


def report(figures: dict[str, Figure], memory: list[float], command: list[str]) -> None:
    floors = [figures[f"floor {index}"] for index in range(len(READS) + 1)]
    print(f"`{shlex.join(command)}` (gunicorn.conf.py), DEBUG off, PostgreSQL;")
    print(
        f"wrk, {CONNECTIONS} keep-alive connections, 1 thread; each read beside the floor "
        f"(constant JSON) measured just before and just after it ({FLOOR_SECONDS} s each); "
        "CPU = the workers' CPU time per request (its ratio, the floor's over the read's, is the "
        "rate's ratio without the noise of other work on the machine)"
    )
    print(
        "  GET /floor/ (constant JSON), its runs:   "
        + ", ".join(f"{floor.rate:.0f}" for floor in floors)
        + " req/s; CPU "
        + ", ".join(f"{floor.cpu_ms:.2f}" for floor in floors)
        + f" ms; p50 {min(f.p50_ms for f in floors):.1f}–{max(f.p50_ms for f in floors):.1f} ms, "
        + f"p99 {min(f.p99_ms for f in floors):.1f}–{max(f.p99_ms for f in floors):.1f} ms; "
        + f"{sum(floor.errors for floor in floors)} errors"
    )
    failures = [f"the floor: {floor.errors} errors" for floor in floors if floor.errors]
    for key in READS:
        figure = figures[key]
        floor = bracketing_floor(figures, key)
        ratio = figure.rate / floor.rate
        line = (
            f"  {LABELS[key]:<41} {figure.rate:6.0f} req/s  p50 {figure.p50_ms:5.1f} ms  "
            f"p99 {figure.p99_ms:6.1f} ms  {figure.errors} errors of {figure.requests:,} "
            f"({figure.seconds} s)  CPU {figure.cpu_ms:.2f} ms"
            f"  {ratio:4.0%} of the floor (CPU {floor.cpu_ms / figure.cpu_ms:4.0%})"
        )
        if figure.errors:
            failures.append(f"{LABELS[key]}: {figure.errors} errors")
        if key in OURS:
            line += f" [target ≥ {FLOOR_TARGET:.0%}]"
            if ratio < FLOOR_TARGET:
                failures.append(f"{LABELS[key]} at {ratio:.0%} of the floor")
        if key in PEERS:
            peer = figures[PEERS[key]]
            peer_floor = bracketing_floor(figures, PEERS[key])
            # Each as a share of its own floor, so that drift between the two runs cancels.
            ratio = ratio / (peer.rate / peer_floor.rate)
            cpu = (peer.cpu_ms / peer_floor.cpu_ms) / (figure.cpu_ms / floor.cpu_ms)
            line += f", {ratio:.1f}× the peer (CPU {cpu:.1f}×) [target ≥ {PEER_TARGET:.0f}×]"
            if ratio < PEER_TARGET:
                failures.append(f"{LABELS[key]} at {ratio:.1f}× the peer")
        print(line)
    before, after = memory
    print(
        f"  workers' memory (RSS, all workers): {before:.0f} MiB before the {LONG_SECONDS} s "
        f"current-weather run, {after:.0f} MiB after ({after - before:+.0f} MiB)"
    )
    if failures:
        print(f"  misses its targets: {'; '.join(failures)}")
    else:
        print("  meets its targets: no errors, every endpoint ≥ 50% of the floor, ≥ 2× the peer")


@contextlib.contextmanager
def _serving(env: dict[str, str], command: list[str]) -> Iterator[tuple[str, int]]:
    """The image's server on a loopback port, with its own metrics folder: (base URL, master)."""
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(env)
        if MULTIPROCESS_METRICS:
            env["PROMETHEUS_MULTIPROC_DIR"] = str(Path(scratch) / "metrics")
            Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir()
        else:
            env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        log_path = Path(scratch) / "server.log"
        with log_path.open("w") as log:
            server = subprocess.Popen(
                _served_locally(command, port), cwd=ROOT, env=env, stdout=log, stderr=log
            )
            try:
                wait_until_up(port, server, "gunicorn")
                yield f"http://127.0.0.1:{port}", server.pid
            except BaseException:
                print(log_path.read_text()[-4000:], file=sys.stderr)
                raise
            finally:
                server.terminate()
                server.wait(timeout=30)


def measure_afresh(base: str, location_id: str, master: int) -> dict[str, Figure]:
    """The three reads with every answer rendered afresh, each after a floor (for reference)."""
    wrk = _wrk()
    paths = {label: read_paths(location_id)[label] for label in OURS}
    for path in ("/floor/", *paths.values()):
        _answers_200(base + path)
        _load(wrk, base + path, 2, master)
    figures = {}
    for label, path in paths.items():
        figures[f"floor before {label}"] = _load(wrk, base + "/floor/", FLOOR_SECONDS, master)
        figures[label] = _load(wrk, base + path, SECONDS, master)
    return figures


def report_afresh(figures: dict[str, Figure]) -> None:
    print(
        "  for reference, every answer rendered afresh (API_KEEP_ANSWERS_SECONDS=0, "
        "docs/decisions/0027; no target), each after a floor run:"
    )
    for key in OURS:
        figure, floor = figures[key], figures[f"floor before {key}"]
        print(
            f"    {LABELS[key]:<41} {figure.rate:6.0f} req/s  p50 {figure.p50_ms:5.1f} ms  "
            f"{figure.errors} errors  CPU {figure.cpu_ms:.2f} ms  "
            f"{figure.rate / floor.rate:4.0%} of the floor's {floor.rate:.0f} req/s "
            f"(CPU {floor.cpu_ms / figure.cpu_ms:4.0%})"
        )


def main() -> None:
    _wrk()  # before any set-up: say what to install
    command = production_command()
    with scratch_postgres(f"bench_api_{os.getpid()}") as database_url:
        env = _environment(database_url)
        location_id = _run_manage(env, "-m", "benchmarks.api.seed").strip().splitlines()[-1]
        _run_manage(env, "manage.py", "collectstatic", "--noinput", "-v0")
        with _serving(env, command) as (base, master):
            figures, memory = measure(base, location_id, master)
        with _serving({**env, "API_KEEP_ANSWERS_SECONDS": "0"}, command) as (base, master):
            afresh = measure_afresh(base, location_id, master)
    report(figures, memory, command)
    report_afresh(afresh)
    metrics = "multiprocess mode" if MULTIPROCESS_METRICS else "in each worker's memory"
    print(f"  (metrics: prometheus-client {metrics}; load generator: {_wrk()})")
