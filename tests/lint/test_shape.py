# test_shape.py: the code keeps the shape README's Hacking section draws
# (issue 13 point 6).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Two checks over the C sources, run by make check:

  * no two modules of src/ include each other's headers (a module is
    NAME.c with NAME.h): the layers only point downwards;
  * no function in src/ or perditiondb/ is longer than MAX_LINES lines
    from its opening to its closing brace.

The sources are in the kernel style: a function's braces stand alone at
the start of a line, which is what the length check relies on."""

import glob
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import tap  # noqa: E402
import unittest  # noqa: E402
import util  # noqa: E402

MAX_LINES = 80
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"', re.M)
NAME = re.compile(r"([A-Za-z_]\w*)\s*\(")


def sources(*dirs):
    for d in dirs:
        yield from sorted(glob.glob(os.path.join(util.TOP_SRCDIR, d, "**",
                                                 "*.c"), recursive=True))


def module_includes():
    """{module: set of modules whose header it includes} for src/."""
    edges = {}
    for path in glob.glob(os.path.join(util.TOP_SRCDIR, "src", "*.[ch]")):
        mod = os.path.splitext(os.path.basename(path))[0]
        with open(path, errors="replace") as f:
            text = f.read()
        edges.setdefault(mod, set()).update(
            h for h in INCLUDE.findall(text) if h != mod)
    return edges


def signature(lines, brace):
    """The declarator lines above the brace at lines[brace], joined."""
    first = brace
    while first > 0:
        prev = lines[first - 1].rstrip()
        if not prev or prev.endswith((";", "}", "*/")) or \
                prev.startswith("#"):
            break
        first -= 1
    return " ".join(lines[first:brace])


def functions(path):
    """(name, first line, length) of each function body in path."""
    with open(path, errors="replace") as f:
        lines = f.read().split("\n")
    found, start, name = [], None, "?"
    for i, line in enumerate(lines):
        if line == "{" and start is None:
            m = NAME.search(signature(lines, i))
            name, start = (m.group(1) if m else "?"), i
        elif line == "}" and start is not None:
            found.append((name, start + 1, i - start + 1))
            start = None
    return found


class Shape(unittest.TestCase):
    def test_no_mutual_includes(self):
        """no two src/ modules include each other's headers"""
        edges = module_includes()
        pairs = sorted({tuple(sorted((a, b))) for a, bs in edges.items()
                        for b in bs if a in edges.get(b, ())})
        self.assertEqual(pairs, [], "modules that include each other")

    def test_function_length(self):
        """no function in src/ or perditiondb/ is longer than 80 lines"""
        long_ones = ["%s:%d %s() %d lines"
                     % (os.path.relpath(p, util.TOP_SRCDIR), line, name, n)
                     for p in sources("src", "perditiondb")
                     for name, line, n in functions(p) if n > MAX_LINES]
        self.assertEqual(long_ones, [])

    def test_checker_sees_functions(self):
        """the length check finds the functions it should (it can fail)"""
        found = [f for p in sources("src") for f in functions(p)]
        names = {f[0] for f in found}
        self.assertGreater(len(found), 200)
        self.assertIn("session_main", names)
        self.assertIn("log_msg", names)


if __name__ == "__main__":
    tap.main()
