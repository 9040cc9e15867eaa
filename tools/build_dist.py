"""`make dist`: builds the download for new hires with PyInstaller (klantsim.spec) and zips it.

    dist/klantsim/                               the folder: the executable `klantsim` (.exe on Windows) and _internal/
    dist/klantsim-VERSION-OS-ARCH.zip            what new hires download (on macOS it holds KlantSim.app)

It builds for the machine it runs on: run it on Windows for Windows, on macOS for macOS.
`--zip-only` zips the folder again without building, after signing the executable inside it."""
from __future__ import annotations

import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
# PyInstaller lines worth showing as progress (it prints hundreds at INFO level)
PROGRESS = re.compile(r"Analyzing (?!hidden)|Looking for dynamic|Building (PYZ|PKG|EXE|COLLECT|BUNDLE)"
                      r"|completed successfully"
                      r"|ERROR|WARNING: Hidden import .simulator|Traceback")


def version() -> str:
    text = (ROOT / "simulator" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def os_name() -> str:
    return {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform.rstrip("0123456789"))


def arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine)


def zip_name() -> str:
    return f"klantsim-{version()}-{os_name()}-{arch()}.zip"


def say(t0: float, message: str) -> None:
    print(f"[dist {time.monotonic() - t0:5.0f} s] {message}", flush=True)


def freeze(t0: float) -> None:
    cmd = [sys.executable, "-m", "PyInstaller", str(ROOT / "klantsim.spec"), "--noconfirm", "--clean",
           "--distpath", str(DIST), "--workpath", str(WORK)]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            encoding="utf-8", errors="replace", env=env)
    log_lines = []
    for line in proc.stdout:
        log_lines.append(line)
        if PROGRESS.search(line):
            say(t0, "  " + line.strip().split(": ", 1)[-1][:150])
    if proc.wait() != 0:
        sys.stdout.write("".join(log_lines[-40:]))
        raise SystemExit(f"make dist: PyInstaller failed (exit {proc.returncode}); its last lines are above")
    (WORK / "pyinstaller.log").write_text("".join(log_lines), encoding="utf-8")


def write_zip(source: Path, target: Path) -> None:
    """Zip `source` as a top folder, keeping the executable bit and symbolic links (Python's zipfile
    dereferences links and drops modes unless told)."""
    tmp = target.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(source.rglob("*")):
            name = path.relative_to(source.parent).as_posix()
            if path.is_symlink():
                info = zipfile.ZipInfo(name)
                info.create_system = 3  # unix, so the mode below is read
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                zf.writestr(info, os.readlink(path))
            elif path.is_dir():
                zf.write(path, name + "/")
            else:
                zf.write(path, name)
    tmp.replace(target)


def main(argv: list[str]) -> int:
    t0 = time.monotonic()
    if "--zip-only" not in argv:
        say(t0, f"KlantSim {version()} for {os_name()}-{arch()} with PyInstaller (a minute or two; progress below)")
        for old in [DIST / "klantsim", DIST / "KlantSim.app", *DIST.glob("klantsim-*.zip")]:
            if old.is_dir():
                shutil.rmtree(old)
            elif old.exists():
                old.unlink()
        freeze(t0)
    folder = DIST / ("KlantSim.app" if sys.platform == "darwin" else "klantsim")
    exe = DIST / "klantsim" / ("klantsim.exe" if sys.platform == "win32" else "klantsim")
    if not exe.is_file():
        raise SystemExit(f"make dist: {exe} is missing (build it with make dist)")
    say(t0, f"zipping {folder.relative_to(ROOT)}")
    target = DIST / zip_name()
    write_zip(folder, target)
    (DIST / ".built").write_text(target.name + "\n", encoding="utf-8")
    size = sum(f.stat().st_size for f in (DIST / "klantsim").rglob("*") if f.is_file() and not f.is_symlink())
    say(t0, f"done: {exe.relative_to(ROOT)} ({size / 1e6:.1f} MB unpacked), "
            f"{target.relative_to(ROOT)} ({target.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
