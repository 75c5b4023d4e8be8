"""The third-party notices: every component Registre ships, with its licence text.

    python packaging/notices.py            # rewrite packaging/THIRD-PARTY-NOTICES.txt
    python packaging/notices.py --check    # exit 1 when the file is not the one generated now

Python distributions are those ``registre`` requires, followed recursively from the installed
metadata (as installed from the lock file); each comes with the licence files its wheel carries.
Components that wheels carry without a licence file of their own (Qt inside PySide6, SQLCipher
inside sqlcipher3, OpenSSL inside cryptography and sqlcipher3, the Python interpreter of the
bundle) take their text from ``packaging/licenses`` or from the interpreter's own LICENSE.txt.
"""

from __future__ import annotations

import re
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LICENSES = ROOT / "packaging" / "licenses"
OUTPUT = ROOT / "packaging" / "THIRD-PARTY-NOTICES.txt"
LICENSE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$", re.IGNORECASE)
RULE = "=" * 78

# Components inside the wheels that bring no licence file for them: (name, where, licence,
# texts from packaging/licenses, note).
EMBEDDED = (
    ("Qt 6", "PySide6-Essentials, shiboken6", "LGPL-3.0-only",
     ("LGPL-3.0-only.txt", "GPL-3.0-only.txt"),
     "The Qt libraries (© The Qt Company Ltd. and other contributors) are used under the GNU "
     "Lesser General Public License version 3, which adds permissions to the GNU General Public "
     "License version 3; both texts follow. They are dynamically linked shared libraries that "
     "can be replaced by a compatible build. Qt's source code: https://download.qt.io/. Qt "
     "itself includes third-party code (ICU, HarfBuzz, FreeType, libpng, PCRE2, zlib, "
     "double-conversion, md4c and others) listed with their licences in « Licenses Used in Qt » "
     "(https://doc.qt.io/qt-6/licenses-used-in-qt.html); ICU's licence follows."),
    ("ICU", "PySide6-Essentials (Qt)", "Unicode-3.0", ("Unicode-3.0.txt",),
     "Copyright © 2016 and later Unicode, Inc. and others."),
    ("SQLCipher", "sqlcipher3", "BSD-3-Clause", ("SQLCipher.txt",),
     "SQLCipher (© Zetetic LLC) is built into the sqlcipher3 wheel; it is based on SQLite, which "
     "is in the public domain."),
    ("OpenSSL 3", "cryptography, sqlcipher3", "Apache-2.0", ("Apache-2.0.txt",),
     "OpenSSL (© The OpenSSL Project Authors) is statically linked into these wheels."),
)

# Distributions whose wheel carries no licence file: the text that applies, and why.
WITHOUT_FILES = {
    "odfpy": ("Apache-2.0.txt", "odfpy is offered under the Apache License 2.0, the GPL or the "
              "LGPL; Registre uses it under the Apache License 2.0."),
    "pyside6-essentials": (None, "The texts of the LGPL-3.0 and GPL-3.0 are in the section "
                           "« Qt 6 » below."),
    "shiboken6": (None, "The texts of the LGPL-3.0 and GPL-3.0 are in the section « Qt 6 » "
                  "below."),
}


def runtime_distributions(root: str = "registre") -> list[metadata.Distribution]:
    """``root`` and every distribution it requires at run time, without extras, sorted."""
    environment = {k: str(v) for k, v in default_environment().items()}
    found: dict[str, metadata.Distribution] = {}
    pending = [root]
    while pending:
        name = canonicalize_name(pending.pop())
        if name in found:
            continue
        distribution = metadata.distribution(name)
        found[name] = distribution
        for line in distribution.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate(
                {**environment, "extra": ""}
            ):
                pending.append(requirement.name)
    found.pop(canonicalize_name(root))
    return sorted(found.values(), key=lambda d: canonicalize_name(d.metadata["Name"]))


def licence_of(distribution: metadata.Distribution) -> str:
    """The SPDX expression, else the free-text licence, else the trove classifiers."""
    meta = distribution.metadata
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) < 100:
        return text
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    return "; ".join(classifiers) or "see the licence text below"


def licence_texts(distribution: metadata.Distribution) -> list[tuple[str, str]]:
    """(file name, text) of the licence files the distribution installed, without repeats."""
    texts: list[tuple[str, str]] = []
    seen: set[str] = set()
    for file in sorted(distribution.files or [], key=str):
        path = str(file)
        top = path.split("/", maxsplit=1)[0]
        in_metadata = top.endswith((".dist-info", ".egg-info"))
        if not LICENSE_FILE.search(path) or path.count("/") > (2 if in_metadata else 1):
            continue
        text = Path(str(distribution.locate_file(file))).read_text(encoding="utf-8",
                                                                    errors="replace").strip()
        if text and text not in seen:
            seen.add(text)
            texts.append((path.rsplit("/", maxsplit=1)[-1], text))
    return texts


def python_licence() -> str:
    """The licence of the Python interpreter the bundle embeds."""
    shipped = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    return shipped.read_text(encoding="utf-8").strip()


def render() -> str:
    """The whole notices file."""
    distributions = runtime_distributions()
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    lines = [
        "Registre — third-party components and their licences",
        "",
        "Registre itself is free software under the European Union Public Licence 1.2 (LICENSE).",
        "It ships the components below; the desktop bundle and the Windows installer also embed",
        "the Python interpreter. Generated by packaging/notices.py from the installed",
        "dependencies: do not edit by hand.",
        "",
        "Summary",
        "",
        f"  Python (CPython) {version} — PSF-2.0",
    ]
    lines += [f"  {d.metadata['Name']} {d.version} — {licence_of(d)}" for d in distributions]
    lines += [f"  {name} (inside {where}) — {licence}" for name, where, licence, _t, _n in EMBEDDED]
    sections = [(f"Python (CPython) {version}", "PSF-2.0", "", [("LICENSE.txt",
                                                                  python_licence())])]
    for distribution in distributions:
        meta = distribution.metadata
        home = meta.get("Home-page") or next(
            (url.split(", ", 1)[-1] for url in meta.get_all("Project-URL") or []), ""
        )
        texts, note = licence_texts(distribution), home
        fallback = WITHOUT_FILES.get(canonicalize_name(meta["Name"]))
        if not texts and fallback is not None:
            file, why = fallback
            note = f"{home}\n{why}".strip()
            if file is not None:
                texts = [(file, (LICENSES / file).read_text(encoding="utf-8").strip())]
        sections.append((f"{meta['Name']} {distribution.version}", licence_of(distribution),
                         note, texts))
    for name, where, licence, files, note in EMBEDDED:
        texts = [(file, (LICENSES / file).read_text(encoding="utf-8").strip()) for file in files]
        sections.append((f"{name} (inside {where})", licence, note, texts))
    for title, licence, note, texts in sections:
        lines += ["", RULE, title, f"Licence: {licence}"]
        if note:
            lines.append(note)
        if not texts:
            lines.append("(no licence file in the distribution; see the licence named above)")
        for file, text in texts:
            lines += ["", f"--- {file} ---", "", text]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """Write the notices, or check that the committed file is current."""
    text = render()
    if "--check" in argv:
        if not OUTPUT.is_file() or OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run make notices", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(OUTPUT)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
