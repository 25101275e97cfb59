"""Optimizer Lab: no arguments opens the window; subcommands do headless work.

python main.py                 the app
python main.py lab1.olab.json  the app racing that session (what a double-click on the file runs)
python main.py run ...         one trajectory as CSV/JSON/NPZ
python main.py list            optimizers, hyperparameters, surfaces, schedules
python main.py export ...      images, animations and data without a window
python main.py map ...         a basin or hyperparameter map (thousands of runs at once)
python main.py session ...     write a session file (.olab.json) for the window or for export
python main.py cache [--fill]  where kernels are cached; fill a lab's machine-wide cache
python main.py --version       the version; --install-launcher / --uninstall-launcher [--all-users] (Linux)

Every argument is checked before anything starts: a mistyped option is an error with the
usage (exit code 2), never a window that silently ignores it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__version__ = "0.1.0"


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and each command's own (which reports that command's mistakes)."""
    from engine.cli import add_run_arguments
    from gui.export_cli import add_export_arguments, add_race_arguments

    parser = argparse.ArgumentParser(
        prog="optimizer-lab",
        description="Watch gradient-descent optimizers work, step by step, on a loss surface.",
        epilog="Without a command, the window opens; with a session file as the only argument "
        "(optimizer-lab lab1.olab.json), the window opens racing it. 'COMMAND --help' describes "
        "each command.",
        allow_abbrev=False,  # a typo is an error, not another option
    )
    parser.add_argument("--version", action="version", version=f"Optimizer Lab {__version__}")
    launcher = parser.add_mutually_exclusive_group()
    launcher.add_argument(
        "--install-launcher",
        action="store_true",
        help="add Optimizer Lab to this user's application menu and desktop (Linux), then exit",
    )
    launcher.add_argument(
        "--uninstall-launcher", action="store_true", help="remove that menu entry and icon, then exit"
    )
    parser.add_argument(
        "--all-users",
        action="store_true",
        help="with --install-launcher, as root: the menu entry for every account and the kernels "
        "compiled once into the machine-wide cache (a lab's one step); with --uninstall-launcher, "
        "remove that entry",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    run = sub.add_parser(
        "run", allow_abbrev=False, help="run one optimizer headless and write its trajectory"
    )
    add_run_arguments(run)
    sub.add_parser(
        "list", allow_abbrev=False, help="list optimizers, hyperparameters, surfaces and schedules"
    )
    export = sub.add_parser(
        "export", allow_abbrev=False, help="images, animations and data of a race, without a window"
    )
    add_export_arguments(export)
    from gui.map_cli import add_map_arguments

    maps = sub.add_parser(
        "map", allow_abbrev=False, help="a basin or hyperparameter map: thousands of runs, one per pixel"
    )
    add_map_arguments(maps)
    session = sub.add_parser(
        "session",
        allow_abbrev=False,
        help="write a session file (.olab.json) to open in the window or to export from",
        description="Write a session file: the race the options describe, as File ▸ Save session… "
        "would. Open it in the window (File ▸ Open session…) or use it with 'export --session'.",
    )
    add_race_arguments(session)
    session.add_argument("--out", required=True, help="the session file to write, e.g. lab1.olab.json")
    from engine.cache_cli import add_cache_arguments

    add_cache_arguments(
        sub.add_parser("cache", allow_abbrev=False, help="where kernels are kept; fill a lab's shared cache")
    )
    return parser, dict(sub.choices)


def cmd_session(args: argparse.Namespace) -> int:
    """Write the race described by the options as a session file that ``--session`` and the window open."""
    from engine.cli import UsageError
    from engine.expressions import ExpressionError
    from engine.losses import check_loss_spec
    from engine.session import SessionError, load_session, save_session
    from gui.export_cli import config_from_args

    config = config_from_args(args)
    if not config.enabled_racers():
        raise UsageError("no optimizer is racing: list some with --optimizers")
    try:
        check_loss_spec(config.loss)
    except ExpressionError as exc:
        raise UsageError(f"--loss: {exc}") from None
    try:
        save_session(config, args.out)
        load_session(args.out)  # what was written opens again
    except SessionError as exc:
        raise UsageError(f"--out: {exc}") from None
    racing = ", ".join(r.key for r in config.enabled_racers())  # adam, adam#2: each racer
    loss = config.loss
    if config.data is not None:  # the data loss races, not the surface the file keeps for later
        loss = f"{config.data.describe()}, batch size {config.batch_size}"
    print(f"wrote {args.out}: {loss}, {racing}, {config.steps} steps", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Both entry points: parse every argument, then open the window or run a command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--differentiate-child"]:  # a frozen build's typed-loss child (engine._compile_child)
        from engine._compile_server import serve

        serve()
        return 0
    if not argv:
        return open_window()
    if len(argv) == 1 and is_session_argument(argv[0]):
        return open_window(argv[0])
    from engine.cli import VALUE_OPTIONS, UsageError, _fix_negative_values, cmd_list, cmd_run
    from gui.export_cli import EXPORT_VALUE_OPTIONS
    from gui.map_cli import MAP_VALUE_OPTIONS

    parser, commands = build_parser()
    value_options = VALUE_OPTIONS | EXPORT_VALUE_OPTIONS | MAP_VALUE_OPTIONS
    args, unknown = parser.parse_known_args(_fix_negative_values(argv, value_options))
    if unknown:  # exits 2 with the usage of the command the mistake was made in
        commands.get(args.command, parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.install_launcher or args.uninstall_launcher:
        from gui.launcher import main_option

        if args.command is not None:
            parser.error(f"--install-launcher and --uninstall-launcher take no command ({args.command!r})")
        flag = "--install-launcher" if args.install_launcher else "--uninstall-launcher"
        code = main_option([flag, *(["--all-users"] if args.all_users else [])])
        return 2 if code is None else code
    if args.all_users:
        parser.error("--all-users goes with --install-launcher or --uninstall-launcher")
    if args.command is None:
        return open_window()
    try:
        if args.command == "run":
            return cmd_run(args)
        if args.command == "list":
            return cmd_list(args)
        if args.command == "session":
            return cmd_session(args)
        if args.command == "cache":
            from engine.cache_cli import cmd_cache

            return cmd_cache(args)
        if args.command == "map":
            from gui.map_cli import cmd_map

            return cmd_map(args)
        from gui.system_check import check_qt_libraries

        if (code := check_qt_libraries(window=False)) is not None:
            return code
        from gui.export_cli import cmd_export

        return cmd_export(args)
    except UsageError as exc:
        print(f"optimizer-lab {args.command}: error: {exc}", file=sys.stderr)
        return 2


COMMANDS = ("run", "list", "export", "map", "session", "cache")


def is_session_argument(arg: str) -> bool:
    """``main.py lab1.olab.json`` (what a double-click on a session file runs) opens the window on it:
    a lone argument that is no option or command and names a ``.json`` file or an existing file."""
    from pathlib import Path

    if arg.startswith("-") or arg in COMMANDS:
        return False
    return arg.lower().endswith(".json") or Path(arg).is_file()


def open_window(session: str | None = None) -> int:
    """The window (racing ``session``, a session file, if given); a machine without Qt's system
    libraries gets the command that installs them."""
    import gc

    # Start-up makes ~75,000 objects that live as long as the window; the collector's passes
    # over them were ~7 % of the time to the first paint. gui.app turns it back on after that paint.
    gc.disable()
    # Before Qt: once PySide6 is imported, its import hook reads the source file of every
    # module imported after it (looking for "PySide6"). The engine and numpy need no Qt:
    # imported first, ~90 fewer files are read before the first paint.
    import engine  # noqa: F401
    from gui.system_check import check_qt_libraries

    if (code := check_qt_libraries()) is not None:
        return code
    from gui.app import import_pyqtgraph_lazily, quicken_pyside_source_check, run_app

    quicken_pyside_source_check()  # PySide6 is imported now; pyqtgraph and the GUI are not
    import_pyqtgraph_lazily()

    return run_app([], session)


def cli_main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script ``optimizer-lab-cli``; returns the process exit code."""
    return main(argv)


def gui_main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the GUI script ``optimizer-lab`` (no console on Windows); the same arguments."""
    return main(argv)


if __name__ == "__main__":
    sys.exit(main())
