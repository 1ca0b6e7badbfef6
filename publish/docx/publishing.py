"""Turn exported .docx files into build/docx/ of a new build generation, published by one rename (publish.staging)."""
from __future__ import annotations

from pathlib import Path

from ..staging import Generation, current_generation


def publish(root: Path, rel: str, files: dict[str, bytes], tree: bool) -> list[Path]:
    """build/<rel>/NAME for each file (`tree`: the folder holds exactly these); everything else build/ holds is
    carried over from the published generation, as a build carries what it does not rebuild."""
    out = root / "build"
    with Generation(out, root) as generation:
        if tree:
            generation.tree(rel, files)
        else:
            for name, data in files.items():
                generation.file(f"{rel}/{name}", data)
        old = current_generation(out)
        carried = {p.name for p in old.iterdir() if p.is_dir()} if old is not None else set()
        generation.commit(sorted(carried | {rel.split("/")[0]}))
    return [out / rel / name for name in files]
