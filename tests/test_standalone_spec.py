"""The standalone build ships every resource folder the app reads at run time."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_build_script_bundles_the_runtime_resources() -> None:
    from engine.datasets import DATA_DIR
    from gui.i18n import FONTS, TRANSLATIONS
    from gui.lessons import LESSONS_DIR

    script = (ROOT / "resources/packaging/build_standalone.py").read_text(encoding="utf-8")
    for folder in (FONTS, TRANSLATIONS, LESSONS_DIR, DATA_DIR, ROOT / "resources/icons"):
        relative = folder.relative_to(ROOT).as_posix()
        assert f'"/{relative}", "{relative}"' in script, f"{relative} is not bundled"


def _build_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_standalone", ROOT / "resources/packaging/build_standalone.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_missing_prerequisites_are_named_with_how_to_install(monkeypatch, capsys) -> None:
    import sys

    build = _build_script()
    monkeypatch.setitem(sys.modules, "PyInstaller", None)  # import PyInstaller → ImportError
    monkeypatch.setattr(build.shutil, "which", lambda name: None)
    monkeypatch.setattr(build, "_shared_libpython", lambda: None)
    monkeypatch.setattr(build.sys, "platform", "linux")
    missing = build.missing_prerequisites()
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert missing == [
        'PyInstaller: .venv/bin/pip install -e ".[build]"',
        "objdump: apt-get install binutils (Fedora: dnf install binutils)",
        f"Python's shared library libpython{version}.so.1.0: apt-get install libpython{version} "
        "(Fedora: dnf install python3-libs)",
    ]
    assert build.main(["--check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("The standalone build needs, and this machine lacks:\n")
    assert all(f"  {item}" in err for item in missing)


def test_with_every_prerequisite_the_check_passes(monkeypatch, capsys) -> None:
    import sys
    import types

    build = _build_script()
    monkeypatch.setitem(sys.modules, "PyInstaller", types.ModuleType("PyInstaller"))
    monkeypatch.setattr(build.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(build, "_shared_libpython", lambda: "/usr/lib/libpython3.so.1.0")
    assert build.missing_prerequisites() == []
    assert build.main(["--check"]) == 0
    assert capsys.readouterr().out.startswith("prerequisites found: PyInstaller")


def test_the_spec_collects_the_engine_as_source_files_and_both_programs(tmp_path) -> None:
    """numba caches a kernel in OPTIMIZER_LAB_CACHE_DIR only if it can stat the kernel's source."""
    build = _build_script()
    spec = build.write_spec(tmp_path)
    seen: dict[str, object] = {}

    def analysis(scripts, **kwargs):
        seen["analysis"] = (scripts, kwargs)
        return type("A", (), {"pure": [], "scripts": [], "binaries": [], "datas": []})()

    def exe(*args, **kwargs):
        seen.setdefault("exe", []).append(kwargs)  # type: ignore[union-attr]

    namespace = {
        "Analysis": analysis,
        "PYZ": lambda *a, **k: None,
        "EXE": exe,
        "COLLECT": lambda *a, **k: None,
    }
    fake_hooks = "from PyInstaller.utils.hooks import collect_data_files\n"
    text = spec.read_text(encoding="utf-8").replace(fake_hooks, "collect_data_files = lambda *a, **k: []\n")
    exec(compile(text, str(spec), "exec"), namespace)
    scripts, options = seen["analysis"]
    assert scripts == [str(ROOT / "main.py")]
    assert options["module_collection_mode"] == {"engine": "py"}
    assert {"engine.cache_cli", "gui.launcher"} <= set(options["hiddenimports"])
    assert {"torch", "pytest"} <= set(options["excludes"])
    names = {(e["name"], e["console"]) for e in seen["exe"]}
    assert names == {("optimizer-lab", False), ("optimizer-lab-cli", True)}


FAKE_CLI = """#!/bin/sh
# stands in for the built console program: logs its arguments and the cache it was given
here="$(cd "$(dirname "$0")" && pwd)"
echo "$* | cache=$OPTIMIZER_LAB_CACHE_DIR machine=${OPTIMIZER_LAB_MACHINE_CACHE-unset}" >> "$here/calls.log"
kernels="$OPTIMIZER_LAB_CACHE_DIR/numba-x/engine_y"
case "$*" in
  "run --steps 3") mkdir -p "$kernels" && : > "$kernels/k.nbi" ;;
  "cache --fill") mkdir -p "$here/var/cache/optimizer-lab/numba-x" && echo "wrote 9 kernel files" ;;
  "cache") echo "machine-wide cache: $here/var/cache/optimizer-lab ($STATUS)" ;;
esac
"""


def _fake_build(tmp_path, monkeypatch, cli_text: str = FAKE_CLI):
    """build_standalone.main with PyInstaller replaced by a function that writes a fake cli."""
    import stat
    import sys
    import types

    build = _build_script()
    monkeypatch.setattr(build, "missing_prerequisites", lambda: [])
    dist = tmp_path / "dist"

    def run(args: list[str]) -> None:
        (dist / "optimizer-lab").mkdir(parents=True)
        cli = dist / "optimizer-lab" / "optimizer-lab-cli"
        cli.write_text(cli_text)
        cli.chmod(cli.stat().st_mode | stat.S_IXUSR)

    fake = types.ModuleType("PyInstaller.__main__")
    fake.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "PyInstaller", types.ModuleType("PyInstaller"))
    monkeypatch.setitem(sys.modules, "PyInstaller.__main__", fake)
    monkeypatch.setenv("OPTIMIZER_LAB_MACHINE_CACHE", "/somewhere/else")  # the builder's own setting
    argv = ["--dist", str(dist), "--work", str(tmp_path / "work")]
    return build, argv, dist / "optimizer-lab"


def test_fill_cache_fills_the_built_folders_machine_cache_and_checks_it_is_used(
    tmp_path, monkeypatch
) -> None:
    build, argv, app = _fake_build(tmp_path, monkeypatch)
    monkeypatch.setenv("STATUS", "used")
    assert build.main([*argv, "--fill-cache"]) == 0
    calls = (app / "calls.log").read_text().splitlines()
    smoke = tmp_path / "work" / "runs" / "smoke-cache"
    fill = tmp_path / "work" / "runs" / "fill-cache"
    assert calls == [
        f"--version | cache={smoke} machine=unset",
        f"run --steps 3 | cache={smoke} machine=unset",
        f"cache --fill | cache={fill} machine=unset",  # the default: the app folder's own cache
        f"cache | cache={fill} machine=unset",
    ]
    assert (app / "var" / "cache" / "optimizer-lab" / "numba-x").is_dir()


def test_a_machine_cache_the_built_app_ignores_fails_the_build(tmp_path, monkeypatch) -> None:
    build, argv, app = _fake_build(tmp_path, monkeypatch)
    monkeypatch.setenv("STATUS", "ignored: others can write to it")
    import pytest

    with pytest.raises(SystemExit, match=f"does not use the kernel cache {app / 'var/cache/optimizer-lab'}"):
        build.main([*argv, "--fill-cache"])


def test_a_build_that_caches_kernels_elsewhere_fails_its_smoke_test(tmp_path, monkeypatch) -> None:
    """As PyInstaller's archive did: numba fell back to ~/.cache/numba and ignored the setting."""
    import pytest

    cli = FAKE_CLI.replace('mkdir -p "$kernels" && : > "$kernels/k.nbi"', "true")
    build, argv, app = _fake_build(tmp_path, monkeypatch, cli)
    with pytest.raises(SystemExit, match="the kernels were not cached in OPTIMIZER_LAB_CACHE_DIR"):
        build.main(argv)
    assert not (app / "var").exists()  # without --fill-cache there is no machine cache


def test_a_built_app_looks_for_the_machine_cache_in_its_own_folder(tmp_path, monkeypatch) -> None:
    import sys

    from engine import _cache

    monkeypatch.delenv(_cache.MACHINE_CACHE_ENV, raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "optimizer-lab" / "optimizer-lab-cli"))
    assert _cache.machine_cache_dirs()[0] == tmp_path / "optimizer-lab" / "var" / "cache" / "optimizer-lab"
