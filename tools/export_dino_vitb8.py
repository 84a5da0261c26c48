#!/usr/bin/env python3
"""Export DINO ViT-B/8 (the FUN-AD paper's backbone) as an ONNX file that follows FunAd's token
contract (docs/backbones.md). Run it where the internet is reachable:

    pip install torch onnx            # any recent PyTorch (>= 1.13)
    python3 tools/export_dino_vitb8.py --out dino_vitb8.onnx [--size 224]

then train with `funad train --backbone dino_vitb8.onnx ...` or pick the file in the web app.

The exported graph takes `image` float [N,3,S,S] RGB in 0..1 and does the ImageNet normalisation
itself; it returns the last block's tokens after the final LayerNorm:
`class_token` [N,768] and `patch_tokens` [N,(S/8)^2,768] in row-major patch order.
"""
import argparse

import torch


class TokenContract(torch.nn.Module):
    def __init__(self, vit):
        super().__init__()
        self.vit = vit
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, image):
        x = (image - self.mean) / self.std
        tokens = self.vit.get_intermediate_layers(x, n=1)[0]  # last block, after the final norm
        return tokens[:, 0], tokens[:, 1:]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="dino_vitb8.onnx")
    parser.add_argument("--size", type=int, default=224, help="input size, a multiple of 8")
    args = parser.parse_args()
    if args.size % 8:
        parser.error("--size must be a multiple of 8")

    vit = torch.hub.load("facebookresearch/dino:main", "dino_vitb8").eval()
    model = TokenContract(vit).eval()
    example = torch.rand(1, 3, args.size, args.size)
    torch.onnx.export(
        model, example, args.out,
        input_names=["image"], output_names=["class_token", "patch_tokens"],
        dynamic_axes={"image": {0: "N"}, "class_token": {0: "N"}, "patch_tokens": {0: "N"}},
        opset_version=17,
    )
    try:
        import onnx
        m = onnx.load(args.out)
        entry = m.metadata_props.add()
        entry.key, entry.value = "funad.input_size", str(args.size)
        onnx.save(m, args.out)
    except ImportError:
        pass  # the input size is also fixed in the graph's input shape
    print(f"wrote {args.out}: class_token [N,768], patch_tokens [N,{(args.size // 8) ** 2},768]")


if __name__ == "__main__":
    main()
