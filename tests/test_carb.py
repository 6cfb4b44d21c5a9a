"""CaRB dev F1 must not drop: runs ``benchmarks/carb.py`` on the dev split (a few seconds)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CARB = ROOT.parent / "shared" / "bench" / "carb"
SCORER = ROOT.parent / "shared" / "bench" / "carb_score.py"

#: A little below the measured dev F1 (see benchmarks/README.md), so that a
#: change that loses extractions fails here.
F1_FLOOR = 0.575


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (CARB / "dev_sentences.txt").exists() or not SCORER.exists(),
    reason="CaRB dev split not found at ../shared/bench/carb (it sits beside the project checkout)",
)
def test_carb_dev_f1(tmp_path, nlp):
    carb = _load("kg_bench_carb", ROOT / "benchmarks" / "carb.py")
    scorer = _load("carb_score", SCORER)
    pred = tmp_path / "pred.tsv"
    sentences = carb.read_sentences(str(CARB / "dev_sentences.txt"))
    carb.write_predictions(sentences, str(pred))
    result = scorer.score_sets(scorer.read_gold(str(CARB / "dev_gold.tsv")), scorer.read_pred(str(pred)))
    assert result["optimal"]["f1"] >= F1_FLOOR
    # confidences rank: the best threshold keeps precision at least that of keeping everything
    assert result["optimal"]["precision"] >= result["all"]["precision"]
