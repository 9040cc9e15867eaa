"""The core never imports pygame: a front end is a layer on top, not a dependency of the rules."""
import subprocess
import sys

from conftest import ROOT


def test_importing_the_core_leaves_pygame_out():
    code = ("import sys; import simulator.scenario.loader, simulator.analysis.search, simulator.scenario.library, "
            "simulator.engine.session, simulator.scoring.scorecard, simulator.cli, simulator.text_ui; "
            "import simulator.results; "
            "print('pygame' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


LAYERS = {  # scenario (data) -> scoring -> engine -> analysis -> results -> front ends
    "diagnostics": 0, "i18n": 0, "scenario": 0, "scoring": 1, "engine": 2, "analysis": 3, "recognition": 3,
    "results": 4, "commands": 5, "game": 5, "text_ui": 5, "cli": 5, "paths": 0, "resources": 0,
}


def _layer(module: str) -> tuple[str, int] | None:
    parts = module.split(".")
    if parts[0] != "simulator" or len(parts) < 2:
        return None
    name = parts[1]
    return name, LAYERS.get(name, 0)


def test_imports_point_one_way_between_the_layers():
    """Every import of simulator code, also inside functions, points down or sideways, never up a layer."""
    import ast

    wrong = []
    for path in sorted((ROOT / "simulator").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        own = _layer(module if path.name != "__init__.py" else module.removesuffix(".__init__"))
        if own is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
                     else [])
            for name in names:
                target = _layer(name)
                if target and target[1] > own[1]:
                    wrong.append(f"{module} imports {name} ({own[0]} may not depend on {target[0]})")
    assert wrong == []
