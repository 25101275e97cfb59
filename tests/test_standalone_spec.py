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
