"""Manual pages of ``registre`` and ``registre-app``, generated from their argument parsers.

    python packaging/manpage.py OUTPUT_DIR   # OUTPUT_DIR/man1/*.1 (English), fr/man1/*.1

The pages say what ``--help`` says (options, commands, environment variables, exit codes), in
roff, with section titles in the page's language. argparse-manpage was considered: it writes
English section titles only, which a French page cannot have.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TITLES = {
    "fr": {
        "name": "NOM",
        "synopsis": "SYNOPSIS",
        "description": "DESCRIPTION",
        "options": "OPTIONS",
        "commands": "COMMANDES",
        "arguments": "ARGUMENTS",
        "manual": "Manuel de Registre",
        "usage": "utilisation : ",
    },
    "en": {
        "name": "NAME",
        "synopsis": "SYNOPSIS",
        "description": "DESCRIPTION",
        "options": "OPTIONS",
        "commands": "COMMANDS",
        "arguments": "ARGUMENTS",
        "manual": "Registre manual",
        "usage": "usage: ",
    },
}


def roff(text: str) -> str:
    """Text made safe for roff: backslashes, hyphens, and lines starting with a control dot."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line
                     for line in text.split("\n"))


def _usage(parser: argparse.ArgumentParser, lang: str) -> str:
    usage = parser.format_usage().strip()
    for prefix in (TITLES[lang]["usage"], "usage: "):
        usage = usage.removeprefix(prefix)
    return re.sub(r"\s+", " ", usage)


def _option_items(
    parser: argparse.ArgumentParser, positional: bool, *, with_help: bool = True
) -> list[str]:
    lines = []
    for action in parser._actions:  # argparse has no public list of actions
        if action.help == argparse.SUPPRESS or isinstance(
            action, argparse._SubParsersAction
        ):
            continue
        if not with_help and isinstance(action, argparse._HelpAction):
            continue
        if bool(action.option_strings) == positional:
            continue
        if action.option_strings:
            names = ", ".join(f"\\fB{roff(name)}\\fR" for name in action.option_strings)
            if action.nargs != 0:
                metavar = action.metavar or (
                    "{" + ",".join(action.choices) + "}" if action.choices else action.dest.upper()
                )
                names += f" \\fI{roff(str(metavar))}\\fR"
        else:
            names = f"\\fI{roff(str(action.metavar or action.dest))}\\fR"
        lines += [".TP", names, roff(action.help or "")]
    return lines


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse has no public list of actions
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _epilog_sections(epilog: str | None) -> list[str]:
    """Epilog paragraphs: one titled "xxx :" becomes a section, others stay as text."""
    lines: list[str] = []
    for paragraph in (epilog or "").split("\n\n"):
        head, _, body = paragraph.partition("\n")
        if head.rstrip().endswith(":") and body:
            lines += [f".SH {roff(head.rstrip(' :').upper())}", ".nf", roff(body), ".fi"]
        else:
            lines += [".PP", roff(paragraph)]
    return lines


def manpage(parser: argparse.ArgumentParser, lang: str, version: str, date: dt.date) -> str:
    """The manual page of ``parser`` in ``lang``."""
    titles = TITLES[lang]
    name = parser.prog
    lines = [
        f'.TH {name.upper()} 1 "{date.isoformat()}" "{name} {version}" "{titles["manual"]}"',
        f".SH {titles['name']}",
        f"{roff(name)} \\- {roff(parser.description or '')}",
        f".SH {titles['synopsis']}",
        roff(_usage(parser, lang)),
    ]
    positionals = _option_items(parser, positional=True)
    if positionals:
        lines += [f".SH {titles['arguments']}", *positionals]
    lines += [f".SH {titles['options']}", *_option_items(parser, positional=False)]
    commands = _subcommands(parser)
    if commands:
        lines.append(f".SH {titles['commands']}")
        for command in commands.values():
            lines += [f".SS {roff(command.prog)}", ".nf", roff(_usage(command, lang)), ".fi"]
            if command.description:
                lines += [".PP", roff(command.description)]
            lines += [".RS", *_option_items(command, positional=True)]
            lines += [*_option_items(command, positional=False, with_help=False), ".RE"]
    lines += _epilog_sections(parser.epilog)
    return "\n".join(lines) + "\n"


def build_date() -> dt.date:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()


def write_manpages(output: Path) -> list[Path]:
    """``output/man1/*.1`` in English and ``output/fr/man1/*.1`` in French."""
    sys.path.insert(0, str(ROOT))
    from registre import __version__, cli
    from registre.cli_help import argparse_language
    from ui import launcher

    written = []
    for lang, folder in (("en", output / "man1"), ("fr", output / "fr" / "man1")):
        folder.mkdir(parents=True, exist_ok=True)
        for program, build in (("registre", cli.build_parser), ("registre-app",
                                                                launcher.build_parser)):
            with argparse_language(lang):
                page = manpage(build(lang), lang, __version__, build_date())
            target = folder / f"{program}.1"
            target.write_text(page, encoding="utf-8")
            written.append(target)
    return written


if __name__ == "__main__":
    for path in write_manpages(Path(sys.argv[1] if len(sys.argv) > 1 else "build/man")):
        print(path)
