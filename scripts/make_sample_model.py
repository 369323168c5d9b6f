"""Re-create assets/german_credit_model.skops: mlready's reference model trained on the sample data.

The model is trained on exactly the rows that `mlready assess` keeps for training with seed 0, so the
20% it sets aside are rows the model has never seen. Run: python scripts/make_sample_model.py
"""
from __future__ import annotations

from pathlib import Path

import skops.io as sio

from mlready import build_context
from mlready.sample import SAMPLE_DATA, SAMPLE_MODEL, SAMPLE_OPTIONS


def main() -> None:
    ctx = build_context(SAMPLE_DATA, SAMPLE_OPTIONS["target"])
    model = ctx.new_reference_model().fit(ctx.X_train, ctx.y_train)
    Path(SAMPLE_MODEL).write_bytes(sio.dumps(model))
    print(f"wrote {SAMPLE_MODEL} ({Path(SAMPLE_MODEL).stat().st_size:,} bytes), trained on {len(ctx.X_train)} rows")


if __name__ == "__main__":
    main()
