"""Mutation testing by module, run by hand (`make mutation`): each module with its own tests.

For each module this builds a work folder under var/mutation/<module>/ holding links to the
project and a pyproject.toml whose [tool.mutmut] names that module and its tests, runs mutmut
there (its copy lands in var/mutation/<module>/mutants/), and prints killed / tried per file.
mutmut reads its settings only from ./pyproject.toml, hence one folder per module. The project's
own [tool.mutmut] (every module, every test subset) is for a plain `mutmut run` at the root.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

from bench.mutation_summary import mutation_database_url, print_summary

ROOT = Path(__file__).resolve().parent.parent
LINKED = ["rcm", "patients", "coding", "claims", "denials", "demo", "tests", "manage.py",
          "templates", "static"]  # fmt: skip
MODULES: dict[str, tuple[list[str], list[str]]] = {
    # module: (files to mutate, tests that may kill them)
    "x12": (["rcm/x12/*.py"], ["tests/x12"]),
    "state": (["claims/state.py"], ["tests/claims"]),
    "posting": (["denials/posting.py"], ["tests/denials", "tests/claims"]),
}


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def prepare(module: str) -> Path:
    only_mutate, tests = MODULES[module]
    work = ROOT / "var" / "mutation" / module
    work.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = work / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name)
    project = (ROOT / "pyproject.toml").read_text()
    section = re.search(r"^\[tool\.mutmut\]\n(?:(?!^\[).*\n?)*", project, re.MULTILINE)
    assert section is not None, "pyproject.toml has no [tool.mutmut]"
    mutmut = re.sub(
        r"^only_mutate = .*$",
        f"only_mutate = {_toml_list(only_mutate)}",
        section.group(0),
        flags=re.MULTILINE,
    )
    mutmut = re.sub(
        r"^pytest_add_cli_args_test_selection = .*$",
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}",
        mutmut,
        flags=re.MULTILINE,
    )
    (work / "pyproject.toml").write_text(project.replace(section.group(0), mutmut))
    return work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("modules", nargs="*", default=list(MODULES), choices=list(MODULES))
    parser.add_argument("--max-children", type=int, default=1)
    parser.add_argument("--survivors", action="store_true", help="list surviving mutants")
    parser.add_argument(
        "--mutants",
        nargs="*",
        default=[],
        help="only these mutant names or globs, e.g. rcm.x12.reader.*",
    )
    args = parser.parse_args()
    env = dict(
        os.environ,
        RCM_VAR_DIR=str(ROOT / "var"),
        RCM_X12_CORPUS=os.environ.get("RCM_X12_CORPUS")
        or str(ROOT.parent / "shared" / "x12-corpus"),
        DATABASE_URL=mutation_database_url(),
    )
    for module in args.modules:
        work = prepare(module)
        print(f"== {module}: mutmut in {work.relative_to(ROOT)}", flush=True)
        command = [str(ROOT / ".venv" / "bin" / "mutmut"), "run"]
        command += ["--max-children", str(args.max_children), *args.mutants]
        finished = subprocess.run(command, cwd=work, env=env, check=False)
        print_summary(work / "mutants", survivors=args.survivors)
        if finished.returncode:
            sys.exit(finished.returncode)


if __name__ == "__main__":
    main()
