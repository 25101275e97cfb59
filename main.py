"""Optimizer Lab: no arguments opens the window; subcommands do headless work.

python main.py                 the app
python main.py run ...         one trajectory as CSV/JSON/NPZ
python main.py list            optimizers, hyperparameters, surfaces, schedules
python main.py export ...      images, animations and data without a window
python main.py map ...         a basin or hyperparameter map (thousands of runs at once)
python main.py cache [--fill]  where kernels are cached; fill a lab's machine-wide cache
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__version__ = "0.1.0"


def build_parser() -> argparse.ArgumentParser:
    from engine.cli import add_run_arguments

    parser = argparse.ArgumentParser(
        prog="optimizer-lab",
        description="Watch gradient-descent optimizers work, step by step, on a loss surface.",
    )
    parser.add_argument("--version", action="version", version=f"Optimizer Lab {__version__}")
    parser.add_argument(
        "--install-launcher",
        action="store_true",
        help="add Optimizer Lab to this user's application menu and desktop (Linux), then exit",
    )
    parser.add_argument(
        "--uninstall-launcher", action="store_true", help="remove that menu entry and icon, then exit"
    )
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run one optimizer headless and write its trajectory")
    add_run_arguments(run)
    sub.add_parser("list", help="list optimizers, hyperparameters, surfaces and schedules")
    from gui.export_cli import add_export_arguments

    export = sub.add_parser("export", help="images, animations and data of a race, without a window")
    add_export_arguments(export)
    from gui.map_cli import add_map_arguments

    maps = sub.add_parser("map", help="a basin or hyperparameter map: thousands of runs, one per pixel")
    add_map_arguments(maps)
    from engine.cache_cli import add_cache_arguments

    add_cache_arguments(sub.add_parser("cache", help="where kernels are kept; fill a lab's shared cache"))
    return parser


def cli_main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    from gui.launcher import main_option

    if (code := main_option(argv)) is not None:
        return code
    if not argv or (argv[0].startswith("--") and argv[0] not in ("--help", "--version")):
        return gui_main(argv)
    from engine.cli import VALUE_OPTIONS, UsageError, _fix_negative_values, cmd_list, cmd_run
    from gui.export_cli import EXPORT_VALUE_OPTIONS
    from gui.map_cli import MAP_VALUE_OPTIONS

    parser = build_parser()
    args = parser.parse_args(
        _fix_negative_values(argv, VALUE_OPTIONS | EXPORT_VALUE_OPTIONS | MAP_VALUE_OPTIONS)
    )
    try:
        if args.command == "run":
            return cmd_run(args)
        if args.command == "list":
            return cmd_list(args)
        if args.command == "cache":
            from engine.cache_cli import cmd_cache

            return cmd_cache(args)
        if args.command == "export":
            from gui.export_cli import cmd_export

            return cmd_export(args)
        if args.command == "map":
            from gui.map_cli import cmd_map

            return cmd_map(args)
    except UsageError as exc:
        print(f"optimizer-lab {args.command}: error: {exc}", file=sys.stderr)
        return 2
    parser.print_help()
    return 2


def gui_main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the GUI script: opens the window (or installs the launcher)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    from gui.launcher import main_option

    if (code := main_option(argv)) is not None:
        return code
    from gui.app import run_app

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(cli_main())
