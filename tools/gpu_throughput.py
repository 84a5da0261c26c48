#!/usr/bin/env python3
"""Throughput of an exported FunAd model in ONNX Runtime: images/s with scores and maps.

    python3 tools/gpu_throughput.py model.onnx [--batches 1,8,32,64] [--seconds 10]

Uses the CUDA execution provider when the installed onnxruntime offers it, else the CPU, and says
which. Input is random (throughput does not depend on content). Builds nothing.
"""
import argparse
import time

import numpy as np
import onnxruntime as ort


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("--batches", default="1,8,32,64")
    parser.add_argument("--seconds", type=float, default=10.0, help="time spent per batch size")
    args = parser.parse_args()

    available = ort.get_available_providers()
    providers = [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in available]
    session = ort.InferenceSession(args.model, providers=providers)
    used = session.get_providers()[0]
    size = int(session.get_modelmeta().custom_metadata_map.get("funad.input_size", "224"))
    print(f"onnxruntime {ort.__version__}, provider {used} (available: {', '.join(available)}), input {size}x{size}")
    if used != "CUDAExecutionProvider":
        print("note: no CUDA provider in this onnxruntime build; figures below are CPU figures")

    for batch in (int(b) for b in args.batches.split(",")):
        x = np.random.default_rng(0).random((batch, 3, size, size), dtype=np.float32)
        for _ in range(3):  # warm-up: kernel selection, memory pools
            session.run(["pred_score", "anomaly_map"], {"image": x})
        images, start = 0, time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            session.run(["pred_score", "anomaly_map"], {"image": x})
            images += batch
        elapsed = time.perf_counter() - start
        print(f"batch {batch:3d}: {images / elapsed:9.1f} images/s (scores + maps)")


if __name__ == "__main__":
    main()
