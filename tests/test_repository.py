"""The repository explains itself: nothing in it points to documents a fresh clone lacks, and the
code and tests the docs name exist (docs/domain-rules.md)."""

from __future__ import annotations

import ast
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TEXT_SUFFIXES = {".py", ".html", ".md", ".txt", ".toml", ".ini", ".cfg", ".css", ".js", ".json", ".yml", ".yaml", ""}
# Vendored third-party files are not ours to word.
NOT_OURS = ("static/vendor/",)
# Documents that lived beside the repository while it was being built, and ways of citing them.
OUTSIDE = re.compile(
    r"design\.md|product\.md|\.\./shared|/work/shared|domain-research|stack-pitfalls|style-anchors"
    r"|case-management-anchors|\bseeds?\s*0\d\d|\bseeds/",
    re.IGNORECASE,
)
# `path/to/file.ext`, optionally followed by `::Class::test_name`.
CITED = re.compile(r"`((?:[\w.-]+/)+[\w.-]+\.\w+)((?:::\w+)*)`")
ANCHOR = re.compile(r"domain-rules\.md#([\w-]+)")


@cache
def tracked_files() -> list[Path]:
    """The repository's own files: what git tracks plus what is new and not ignored."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return [
        ROOT / name
        for name in listed
        if not name.startswith(NOT_OURS) and Path(name).suffix in TEXT_SUFFIXES and (ROOT / name).is_file()
    ]


def test_no_file_points_outside_the_repository():
    this = Path(__file__).resolve()
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in tracked_files()
        if path != this
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not found, "Cite docs/ instead:\n" + "\n".join(found)


def _test_names(path: Path) -> set[str]:
    """Every `Class::test` and `test` defined at the top of a test module."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            names.update(f"{node.name}::{sub.name}" for sub in node.body if isinstance(sub, ast.FunctionDef))
    return names


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")), ids=lambda page: page.name)
def test_every_path_and_test_the_docs_name_exists(page):
    missing = []
    for path, test in CITED.findall(page.read_text()):
        if not (ROOT / path).exists():
            missing.append(path)
        elif test and test.removeprefix("::") not in _test_names(ROOT / path):
            missing.append(path + test)
    assert not missing, f"{page.name} names what does not exist: {missing}"


def test_every_rule_the_code_cites_has_its_section():
    anchors = set(re.findall(r'<a id="([\w-]+)"></a>', (DOCS / "domain-rules.md").read_text()))
    cited = {
        (anchor, str(path.relative_to(ROOT)))
        for path in tracked_files()
        for anchor in ANCHOR.findall(path.read_text(errors="replace"))
    }
    assert cited, "the code cites docs/domain-rules.md for the reasons behind its rules"
    assert not [pair for pair in cited if pair[0] not in anchors]


TEMPLATES = ROOT / "templates"
LONGEST_TEMPLATE_LINE = 160
# `x == "held"` in a template is a rule hiding from Python: ask the model or selector instead.
# (A quoted filter argument, as in `value|stringformat:"s" == other`, is not a literal compared.)
TAG = re.compile(r"\{%.*?%\}")
LITERAL_COMPARISON = re.compile(r"""(==|!=)\s*["']|(?<!:)["'][^"']*["']\s*(==|!=)""")


def test_templates_compare_no_literal_strings_and_keep_their_lines_short():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}"
            if any(LITERAL_COMPARISON.search(tag) for tag in TAG.findall(line)):
                found.append(f"{where}: compares a literal string: {line.strip()[:100]}")
            if len(line) > LONGEST_TEMPLATE_LINE:
                found.append(f"{where}: {len(line)} characters (at most {LONGEST_TEMPLATE_LINE})")
    assert not found, "\n".join(found)


def _service_modules() -> list[Path]:
    return sorted(
        path
        for path in tracked_files()
        if path.suffix == ".py"
        and "tests" not in path.relative_to(ROOT).parts
        and (path.name.startswith("services") or path.parent.name == "services")
    )


def test_services_take_named_inputs_and_set_no_attribute_by_name():
    """A service that takes `**fields` and sets whatever arrives can be made to write a status or
    a school: each names what it accepts (docs/architecture.md)."""
    assert _service_modules(), "the walk finds the services modules"
    found = []
    for path in _service_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.args.kwarg:
                found.append(f"{where}: {node.name} takes **{node.args.kwarg.arg}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "setattr"
                and not (len(node.args) > 1 and isinstance(node.args[1], ast.Constant))
            ):
                found.append(f"{where}: setattr with a name chosen at run time")
    assert not found, "\n".join(found)
