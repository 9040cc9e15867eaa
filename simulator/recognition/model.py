"""The recogniser's models: one scikit-learn pipeline per language, built from the corpus and cached.

Character n-grams (2-5, within words) carry typos, Flemish and chat spelling; word uni- and bigrams carry the
phrases ("ik verbind u door", "als u doorgaat"). A multinomial logistic regression (saga: both languages train in
about two seconds) gives probabilities the game can act on. The build is deterministic (fixed seeds, no
shuffling), so the same data gives the same model;
the cache file is named by a hash of the data, this module's MODEL_VERSION and scikit-learn's version."""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from simulator.recognition import corpus

MODEL_VERSION = "1"   # bump when the pipeline below changes, so old caches are not used
C = 8.0               # inverse regularisation of the logistic regression


def cache_dir() -> Path:
    """Where built models are kept: KLANTSIM_CACHE, else the user cache folder (~/.cache/klantsim on Linux)."""
    override = os.environ.get("KLANTSIM_CACHE")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("klantsim", appauthor=False))


def cache_key() -> str:
    import sklearn

    digest = hashlib.sha256(f"{corpus.data_hash()}:{MODEL_VERSION}:{C}:{sklearn.__version__}".encode())
    return digest.hexdigest()[:20]


def cache_path(language: str) -> Path:
    return cache_dir() / f"recogniser-{language}-{cache_key()}.pickle"


def build_pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True,
                                  strip_accents="unicode", dtype=_float32())),
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True,
                                  strip_accents="unicode", token_pattern=r"(?u)\b\w+\b", dtype=_float32())),
    ])
    return Pipeline([("features", features),
                     ("classifier", LogisticRegression(C=C, solver="saga", tol=1e-3, max_iter=300,
                                                       random_state=corpus.SEED))])


def _float32():
    import numpy

    return numpy.float32


def train(language: str):
    examples = corpus.training_examples(language)
    pipeline = build_pipeline()
    pipeline.fit([t for t, _ in examples], [a for _, a in examples])
    return pipeline


def load_or_build(language: str, rebuild: bool = False) -> tuple[object, bool]:
    """The language's cached model when it fits the data, else built and cached; (model, whether built now).

    Each language has its own file, so the first game in one language builds only that one. A cache that cannot be
    read (damaged, another Python) is rebuilt; one that cannot be written costs only the time to build next time."""
    path = cache_path(language)
    if not rebuild and path.is_file():
        try:
            with open(path, "rb") as fh:
                stored = pickle.load(fh)
            if isinstance(stored, dict) and stored.get("key") == cache_key() and stored.get("language") == language:
                return stored["model"], False
        except Exception:
            pass
    built = train(language)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as tmp:
            pickle.dump({"key": cache_key(), "language": language, "model": built}, tmp,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
        for old in path.parent.glob(f"recogniser-{language}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return built, True
