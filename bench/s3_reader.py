"""The Distributed Map's S3 CSV reader: streaming against reading the object whole.

    .venv/bin/python bench/s3_reader.py                  # 1,000,000 lines, ~1 min
    .venv/bin/python bench/s3_reader.py --lines 200000

Starts moto's server (its own process, a free port), puts one CSV object of `--lines` rows
and reads it two ways, in turn, each the best of `--repeat`:

* `streaming`: engine.asl.integrations.s3_items.iter_items (the Map's reader: parses lines as
  the StreamingBody delivers them);
* `whole`: the ceiling for speed — `get_object()["Body"].read()`, decode, `csv.DictReader`
  over the text in memory (what a reader that holds the object does).

Prints items/s of each and the ratio (streaming / whole), and the peak Python memory of each
(tracemalloc, a separate pass) and their ratio. Figures are ratios measured in one run.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.moto_support import aws_environment  # noqa: E402
from tests.support import free_port, stop_process, wait_until  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    port = free_port()
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        os.environ.update(aws_environment(f"http://127.0.0.1:{port}", Path(tempfile.mkdtemp())))
        import boto3

        from engine.asl.integrations import AwsInvoker, AwsSettings, s3_items
        s3 = boto3.client("s3", region_name="us-east-1")

        def up():
            try:
                return s3.list_buckets() is not None
            except Exception:  # noqa: BLE001 - not up yet
                return False
        wait_until(up, 60, what="moto's server")
        body = b"id,word\n" + b"".join(b"%d,w%d\n" % (i, i % 97) for i in range(args.lines))
        s3.create_bucket(Bucket="bench")
        s3.put_object(Bucket="bench", Key="rows.csv", Body=body)
        size = len(body)
        del body
        clients = AwsInvoker(AwsSettings(enabled=True)).clients
        request = {"kind": "item_reader", "action": "getObject", "execution_id": None,
                   "parameters": {"Bucket": "bench", "Key": "rows.csv"}, "reader_config": {"InputType": "CSV"}}
        s3_items.read_items(clients, dict(request, reader_config={"InputType": "CSV", "MaxItems": 1}))

        def streaming():
            return sum(1 for _ in s3_items.iter_items(clients, request))

        def whole():
            text = s3.get_object(Bucket="bench", Key="rows.csv")["Body"].read().decode("utf-8")
            return sum(1 for _ in csv.DictReader(io.StringIO(text, newline="")))

        results = {}
        for name, fn in (("streaming", streaming), ("whole", whole)):
            best = None
            for _ in range(args.repeat):
                start = time.perf_counter()
                count = fn()
                took = time.perf_counter() - start
                best = took if best is None else min(best, took)
            assert count == args.lines, (name, count)
            tracemalloc.start()
            fn()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            results[name] = (args.lines / best, peak)
        (s_rate, s_peak), (w_rate, w_peak) = results["streaming"], results["whole"]
        print(f"object: {args.lines} lines, {size / 1e6:.1f} MB")
        print(f"speed: streaming {s_rate:,.0f} items/s, whole {w_rate:,.0f} items/s, ratio: {s_rate / w_rate:.2f}")
        print(f"peak memory: streaming {s_peak / 1e6:.2f} MB, whole {w_peak / 1e6:.2f} MB, "
              f"ratio: {s_peak / w_peak:.3f}")
    finally:
        stop_process(moto)


if __name__ == "__main__":
    main()
