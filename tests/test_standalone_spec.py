"""The standalone build ships every resource folder the app reads at run time."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_build_script_bundles_the_runtime_resources() -> None:
    from gui.i18n import FONTS, TRANSLATIONS
    from gui.lessons import LESSONS_DIR

    script = (ROOT / "resources/packaging/build_standalone.py").read_text(encoding="utf-8")
    for folder in (FONTS, TRANSLATIONS, LESSONS_DIR, ROOT / "resources/icons"):
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
