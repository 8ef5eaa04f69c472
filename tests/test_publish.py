"""Packaging and read-only publishing: the wheel carries templates, static files, language data and rules;
``datasette package`` (with a stub ``docker`` that keeps the build context) produces files that install the
plugin from that wheel and serve the database immutably."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import stat
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def palmyra_wheel(tmp_path_factory) -> Path:
    """``python -m build --wheel`` on a copy of the source tree (the checkout stays untouched)."""
    pytest.importorskip("build", reason="the 'build' package is in the test extra: pip install -e '.[test]'")
    src = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("datasette_palmyra", "rules"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(src)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (wheel,) = out.glob("*.whl")
    return wheel


def test_wheel_ships_templates_static_languages_and_rules(palmyra_wheel):
    names = set(zipfile.ZipFile(palmyra_wheel).namelist())
    pkg = ROOT / "datasette_palmyra"
    expected = [f"datasette_palmyra/{p.relative_to(pkg).as_posix()}" for pattern in
                ("web/templates/*.html", "web/static/*", "languages/*/*.yml") for p in pkg.glob(pattern)]
    expected += [f"datasette_palmyra/rules/{p.relative_to(ROOT / 'rules').as_posix()}"
                 for pattern in ("*.yml", "vocabulary/*.yml") for p in (ROOT / "rules").glob(pattern)]
    assert any(n.endswith("templates/palmyra_article.html") for n in expected)
    assert any(n.endswith("static/palmyra.css") for n in expected)
    assert any("/languages/en/" in n for n in expected)
    missing = sorted(set(expected) - names)
    assert not missing, f"not in the wheel: {missing}"
    assert "datasette_palmyra/web/__init__.py" in names and "datasette_palmyra/web/pages.py" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(palmyra_wheel).read(entry_points).decode()
    assert re.search(r"\[datasette\]\s*\npalmyra = datasette_palmyra.web", text)


STUB_DOCKER = """#!/bin/sh
# stub docker for tests: instead of building an image, keep the build context
if [ "$1" = "build" ]; then cp -R . "$PALMYRA_DOCKER_CONTEXT"; fi
"""


def wheel_venv(tmp: Path, wheel: Path) -> Path:
    """A fresh venv with only the wheel installed; its dependencies come from the running interpreter's
    site-packages through a .pth line (whose own .pth files, such as an editable install, are not read)."""
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "--quiet", str(wheel)], check=True, timeout=300, env={**os.environ, "PIP_CONSTRAINT": ""})
    Path(site, "zz_outer_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def test_datasette_package_installs_plugin_and_serves_immutable(palmyra_db, palmyra_wheel, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    docker = bin_dir / "docker"
    docker.write_text(STUB_DOCKER)
    docker.chmod(docker.stat().st_mode | stat.S_IEXEC)
    context = tmp_path / "context"
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    shutil.copy(palmyra_wheel, wheels)
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(palmyra_db, work / "palmyra.db")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PALMYRA_DOCKER_CONTEXT": str(context)}
    datasette = [sys.executable, "-m", "datasette"]
    proc = subprocess.run(
        [*datasette, "package", "palmyra.db", "-m", str(ROOT / "metadata.yml"), "--static", f"wheels:{wheels}",
         "--install", f"wheels/{palmyra_wheel.name}"],
        cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    dockerfile = (context / "Dockerfile").read_text()

    # the image installs the plugin from the shipped wheel and serves the database immutably
    install = re.search(r"^RUN pip install (.*)$", dockerfile, re.M).group(1).split()
    assert f"wheels/{palmyra_wheel.name}" in install
    cmd = shlex.split(re.search(r"^CMD (.*)$", dockerfile, re.M).group(1))
    assert cmd[:2] == ["datasette", "serve"] and cmd[cmd.index("-i") + 1] == "palmyra.db"
    assert (context / "wheels" / palmyra_wheel.name).exists()
    shipped = context / "palmyra.db"
    assert not Path(str(shipped) + "-wal").exists()
    conn = sqlite3.connect(shipped)
    assert conn.execute("pragma journal_mode").fetchone()[0] != "wal"
    conn.close()

    # do what the image does, with the wheel in a fresh venv: inspect, then serve with the CMD's options
    python = wheel_venv(tmp_path, context / "wheels" / palmyra_wheel.name)
    where = subprocess.run([str(python), "-c", "import datasette_palmyra; print(datasette_palmyra.__file__)"],
                           cwd=context, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(tmp_path / "venv")), where
    inspect_line = re.search(r"^RUN (datasette inspect .*)$", dockerfile, re.M).group(1)
    subprocess.run([str(python), "-m", *shlex.split(inspect_line)], cwd=context, check=True, timeout=120)
    serve = [a for a in cmd[1:] if a != "$PORT"]
    serve = [a for i, a in enumerate(serve) if not (a == "--port" or (i and serve[i - 1] == "--host") or a == "--host")]
    before = shipped.read_bytes()
    for path, needle in (("/-/palmyra.json", '"database": "palmyra"'),
                         ("/-/palmyra", "pm-badge"),
                         ("/-/palmyra-static/palmyra.css", ".pm-claim"),
                         ("/palmyra/claims?_size=max", "pm-marker"),
                         ("/palmyra/conflicts_by_source.json", "rows")):
        got = subprocess.run([str(python), "-m", "datasette", *serve, "--get", path], cwd=context,
                             capture_output=True, text=True, timeout=120)
        assert got.returncode == 0, (path, got.stdout[-2000:], got.stderr[-2000:])
        assert needle in got.stdout, (path, got.stdout[:500])
    assert shipped.read_bytes() == before
