"""`make dist-test`: the download, tried the way a new hire uses it.

The zip made by `make dist` is unpacked into a fresh temporary folder under a user folder with a space and a
non-ASCII letter ("Gebruikers/Zoë Jansen/Downloads/KlantSim 0.1/klantsim"), the folder is made read-only, and
the executable runs with a bare environment: the system's PATH only, no venv, no PYTHONPATH, HOME (and on Windows
USERPROFILE/APPDATA/LOCALAPPDATA) in that user folder. Run as root (CI), the program runs as the user `nobody`,
so read-only really holds; in any case every file of the bundle is compared before and after, so nothing may be
written inside it. Every step must exit 0 with the expected output. Prints the zip's size and the start-up time.

Needs only the standard library: it is run by the builder's Python, the bundle runs without one."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
MAX_ZIP_MB = 80
PLAYER = "Zoë Jansen"
# tests/golden/starter-nl-best.plan: the whole method, score 100
BEST_STARTER = [2, 3, 1, 3, 3, 2, 1]
TIMEOUT = 120


class SmokeFailure(Exception):
    pass


def version() -> str:
    return re.search(r'__version__ = "([^"]+)"', (ROOT / "simulator" / "__init__.py").read_text("utf-8")).group(1)


def find_zip() -> Path:
    built = DIST / ".built"
    if not built.exists():
        raise SmokeFailure("no download found: run `make dist` first")
    path = DIST / built.read_text(encoding="utf-8").strip()
    if not path.is_file():
        raise SmokeFailure(f"{path} is missing: run `make dist` again")
    return path


def unzip(archive: Path, target: Path) -> None:
    """Unpack keeping the executable bit and symbolic links (ZipFile.extractall keeps neither)."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            dest = target / info.filename
            mode = info.external_attr >> 16
            if info.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            if stat.S_ISLNK(mode):
                os.symlink(zf.read(info).decode("utf-8"), dest)
                continue
            with zf.open(info) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out)
            if mode & 0o777:
                os.chmod(dest, mode & 0o777)


def manifest(folder: Path) -> dict[str, tuple]:
    """Every entry in the folder with its size and modification time: a write anywhere changes this."""
    out = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        out[path.relative_to(folder).as_posix()] = (stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns)
    return out


def set_read_only(folder: Path, read_only: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        os.chmod(path, mode & ~0o222 if read_only else mode | stat.S_IWUSR)


class Bundle:
    """Runs the unpacked executable in a bare environment, as `nobody` when we are root."""

    def __init__(self, exe: Path, home: Path, run_as_nobody: bool):
        self.exe = exe
        self.home = home
        self.user = {"user": 65534, "group": 65534, "extra_groups": []} if run_as_nobody else {}
        self.env = bare_env(home)

    def run(self, *args: str, extra_env: dict | None = None, stdin: str | None = None,
            expect: int = 0) -> subprocess.CompletedProcess:
        env = dict(self.env, **(extra_env or {}))
        t0 = time.perf_counter()
        proc = subprocess.run([str(self.exe), *args], env=env, cwd=self.home / "Documents", input=stdin,
                              capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT, **self.user)
        proc.seconds = time.perf_counter() - t0
        shown = " ".join(f'"{a}"' if " " in a else a for a in (a.replace(str(self.home), "~") for a in args))
        shown = shown or "(no arguments)"
        if proc.returncode != expect:
            raise SmokeFailure(f"klantsim {shown}: exit {proc.returncode}, expected {expect}\n"
                               f"--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}")
        print(f"  ok  klantsim {shown}  ({proc.seconds:.2f} s)", flush=True)
        return proc


def bare_env(home: Path) -> dict:
    """The system's PATH only; no venv, no PYTHONPATH or PYTHONHOME; the user's folders under `home`."""
    if sys.platform == "win32":
        root = os.environ.get("SYSTEMROOT", r"C:\Windows")
        return {"PATH": rf"{root}\system32;{root}", "SYSTEMROOT": root, "USERPROFILE": str(home),
                "APPDATA": str(home / "AppData" / "Roaming"), "LOCALAPPDATA": str(home / "AppData" / "Local"),
                "TEMP": str(home / "AppData" / "Local" / "Temp"), "TMP": str(home / "AppData" / "Local" / "Temp"),
                "SDL_AUDIODRIVER": "dummy"}
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "TMPDIR": str(home / "tmp"),
            "SDL_AUDIODRIVER": "dummy"}


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def smoke(archive: Path, work: Path) -> dict:
    home = work / "Gebruikers" / PLAYER
    for sub in ("Documents", "tmp", "AppData/Local/Temp", "AppData/Roaming"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    downloads = home / "Downloads" / "KlantSim 0.1"
    downloads.mkdir(parents=True)
    unzip(archive, downloads)
    top = [p for p in downloads.iterdir()]
    check(len(top) == 1 and top[0].is_dir(), f"the zip should hold one folder, it holds {[p.name for p in top]}")
    folder = top[0]
    if folder.suffix == ".app":  # macOS: the executable sits inside the app
        exe = folder / "Contents" / "MacOS" / "klantsim"
    else:
        exe = folder / ("klantsim.exe" if sys.platform == "win32" else "klantsim")
    check(exe.is_file(), f"{exe.name} is missing from the zip")

    run_as_nobody = hasattr(os, "geteuid") and os.geteuid() == 0
    if run_as_nobody and not all(os.stat(p).st_mode & 0o001 for p in work.parents):
        print(f"  note: {work.parent} is closed to other users, so the program runs as root and read-only is checked "
              "by comparing the files only", flush=True)
        run_as_nobody = False
    if run_as_nobody:  # the program runs as nobody: it may read the bundle and write in its own home only
        os.chmod(work, 0o755)  # mkdtemp made it 0700
        for path in [home, *home.rglob("*")]:
            if path != folder and folder not in path.parents:
                os.chown(path, 65534, 65534, follow_symlinks=False)
    before = manifest(folder)
    set_read_only(folder, True)
    bundle = Bundle(exe, home, run_as_nobody)
    data = home / "Documents" / "KlantSim resultaten"
    figures = {}
    print(f"  bundle in {folder}" + (" (run as user nobody)" if run_as_nobody else ""), flush=True)

    try:
        out = bundle.run("--version").stdout.strip()
        check(out == f"KlantSim {version()}", f"--version printed '{out}', expected 'KlantSim {version()}'")

        scenarios = next(folder.rglob("scenarios"))
        out = bundle.run("validate", str(scenarios), "--strict").stdout
        # the bare environment has no LANG, so the messages are Dutch (the default); English when the system says so
        counts = re.search(r"(\d+) (?:files checked|bestanden gecontroleerd): 0 (?:errors|fouten), "
                           r"0 (?:warnings|waarschuwingen)", out)
        check(counts and int(counts.group(1)) >= 2, f"validate of the bundled scenarios said: {out.strip()[-300:]}")
        out = bundle.run("validate", "--format", "json", str(scenarios)).stdout
        check(json.loads(out)["ok"] is True, "validate --format json did not say ok")

        choices = ",".join(map(str, BEST_STARTER))
        out = bundle.run("play", "--text", "--scenario", "starter", "--choices", choices, "--json",
                         "--player", PLAYER, "--data", str(data)).stdout
        card = json.loads(out)
        check(card.get("score") == 100 and card.get("ending") == "satisfied",
              f"the scripted best path scored {card.get('score')} ending {card.get('ending')}, expected 100 satisfied")
        check(card.get("scenario") == "starter" and card.get("language") == "nl",
              f"scorecard names scenario {card.get('scenario')} in {card.get('language')}")

        # a trainer's new scenario goes to the current folder (never into the bundle) and checks clean
        bundle.run("new", "pakket-kwijt")
        written = home / "Documents" / "pakket-kwijt.nl.yaml"
        check(written.is_file(), "new did not write pakket-kwijt.nl.yaml in the current folder")
        bundle.run("validate", str(written))

        # the map as PNG draws its text with the bundled DejaVu font
        picture = home / "Documents" / "kaart starter.png"
        bundle.run("graph", "starter", "-o", str(picture))
        check(picture.read_bytes()[:4] == b"\x89PNG" and picture.stat().st_size > 10_000,
              "graph -o PNG wrote no picture")
        drawing = home / "Documents" / "kaart starter.svg"
        bundle.run("graph", "starter", "-o", str(drawing), "--lang", "en")
        svg = drawing.read_text(encoding="utf-8")
        check("<svg" in svg and "acknowledge" in svg, "graph -o SVG wrote no map with the acts on its links")

        # the recogniser of typed answers: the first call trains the model into the user's cache folder (never into
        # the bundle), the second loads it from there; both give the act as JSON
        cache = home / (".cache" if sys.platform.startswith("linux") else "") / "klantsim"
        for attempt in ("trains", "loads"):
            proc = bundle.run("recognise", "--lang", "nl", "Ik begrijp dat u boos bent, dat snap ik")
            heard = json.loads(proc.stdout)
            check(heard.get("act") == "acknowledge" and 0 < heard.get("confidence", 0) <= 1,
                  f"recognise ({attempt} the model) heard {proc.stdout.strip()[:300]}, expected the act acknowledge")
            figures[f"recognise, {attempt} the model"] = proc.seconds
        models = list(home.rglob("recogniser-nl-*.pickle"))
        check(len(models) == 1 and (not sys.platform.startswith("linux") or cache in models[0].parents),
              f"the Dutch model is not in the user's cache folder ({cache}): {models}")
        out = bundle.run("recognise", "--lang", "en", "If you keep swearing I will end this call").stdout
        check(json.loads(out).get("act") in ("warn", "set_limit", "end_contact"),
              f"recognise --lang en heard {out.strip()[:300]}, expected a boundary act")

        # a conversation typed in the terminal is saved to the results store
        keys = "\n".join(map(str, BEST_STARTER)) + "\n\n\n"
        bundle.run("play", "--text", "--scenario", "starter", "--player", PLAYER, "--data", str(data), stdin=keys)
        out = bundle.run("history", "--data", str(data)).stdout
        check(PLAYER in out and "100" in out, f"history does not show {PLAYER}'s 100: {out.strip()[-300:]}")

        help_text = bundle.run("export", "--help").stdout
        if "--xlsx" in help_text:
            target = home / "Documents" / "resultaten.xlsx"
            bundle.run("export", "--xlsx", str(target), "--data", str(data))
            with zipfile.ZipFile(target) as zf:
                sheets = " ".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist()
                                  if n.startswith("xl/"))
            check(PLAYER in sheets, f"the xlsx export does not name {PLAYER}")
        else:
            target = home / "Documents" / "resultaten.csv"
            bundle.run("export", "--csv", str(target), "--data", str(data))
            rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig")), delimiter=";"))
            check(len(rows) == 1 and rows[0]["player"] == PLAYER and rows[0]["score"] == "100",
                  f"the csv export holds {rows!r:.300}")
        report = home / "Documents" / "klasrapport.html"
        bundle.run("report", "-o", str(report), "--data", str(data))
        html = report.read_text(encoding="utf-8")
        check(PLAYER in html and "<svg" in html, "the report does not show the player and its charts")

        # the window, under the dummy video driver, to the first frame and out again; settings go to the user's
        # config folder (platformdirs), under the non-ASCII home
        window_env = {"SDL_VIDEODRIVER": "dummy", "KLANTSIM_EXIT_AFTER_FRAMES": "1"}
        starts = []
        for _ in range(3):
            proc = bundle.run(extra_env=window_env)
            check("1 frame(s) drawn" in proc.stdout, f"the window did not report its first frame: {proc.stdout}")
            starts.append(proc.seconds)
        figures["start-up to first frame"] = min(starts)
        if sys.platform.startswith("linux"):
            settings = home / ".config" / "klantsim" / "game-settings.json"
            check(settings.is_file(), f"the window's settings are not in the user folder ({settings})")
        else:
            check(any(home.rglob("game-settings.json")), "the window's settings are not in the user folder")
    finally:
        set_read_only(folder, False)
    after = manifest(folder)
    changed = sorted(set(before.items()) ^ set(after.items()))
    check(not changed, f"the program wrote inside its own folder: {sorted({k for k, _ in changed})[:10]}")
    print("  ok  nothing was written inside the bundle", flush=True)
    return figures


def main() -> int:
    try:
        archive = find_zip()
        size_mb = archive.stat().st_size / 1e6
        print(f"KlantSim download smoke test: {archive.name}, {size_mb:.1f} MB (aim <= {MAX_ZIP_MB} MB)", flush=True)
        check(size_mb <= MAX_ZIP_MB, f"the zip is {size_mb:.1f} MB, over the {MAX_ZIP_MB} MB aim")
        work = Path(tempfile.mkdtemp(prefix="klantsim-dist-test-"))
        try:
            figures = smoke(archive, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except SmokeFailure as exc:
        print(f"make dist-test: FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"make dist-test: passed. zip {size_mb:.1f} MB; start-up to the first frame "
          f"{figures['start-up to first frame'] * 1e3:.0f} ms (best of 3); recognise "
          f"{figures['recognise, trains the model']:.1f} s training the model, "
          f"{figures['recognise, loads the model']:.1f} s with it cached")
    return 0


if __name__ == "__main__":
    sys.exit(main())
