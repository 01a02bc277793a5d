"""The exported script defines the same network as build_net, and runs on its own."""
import re
import subprocess
import sys

import pytest
import torch
from nets_world import SPECS, count, example, spec

from playground.nets import build_net, export_script


def exported(net_spec):
    """make_net from the exported script, loaded in-process (it must not run its __main__ block)."""
    namespace = {"__name__": "net"}
    exec(compile(export_script(net_spec), "net.py", "exec"), namespace)
    return namespace["make_net"]()


RUN_ALONE = ["lenet", "nested", "char_lstm"]


# One fresh, isolated interpreter runs each script as __main__ in turn: a cold torch import
# is the slow part, and paying it once keeps the suite fast.
RUNNER = """import runpy, sys
for path in sys.argv[1:]:
    print("==>", path, flush=True)
    runpy.run_path(path, run_name="__main__")
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """What each exported script printed, run by the venv's python (-I: nothing of LayerLab on its path)."""
    folder = tmp_path_factory.mktemp("exported")
    for name in RUN_ALONE:
        (folder / f"{name}.py").write_text(export_script(spec(name)))
    run = subprocess.run([sys.executable, "-I", "-c", RUNNER, *(f"{name}.py" for name in RUN_ALONE)],
                         cwd=folder, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    printed = run.stdout.split("==> ")[1:]
    return {chunk.split(".py", 1)[0]: chunk for chunk in printed}


@pytest.mark.parametrize("name", RUN_ALONE)
def test_the_script_runs_alone_and_reports_what_build_net_builds(name, runs):
    stdout = runs[name]
    params = int(re.search(r"^parameters: (\d+)$", stdout, re.M).group(1))
    shape = [int(d) for d in re.search(r"^output shape: \[([\d, ]+)\]$", stdout, re.M).group(1).split(",")]
    net = build_net(spec(name))
    assert params == count(net)
    with torch.no_grad():
        assert shape == list(net.eval()(example(spec(name), 2)).shape)


@pytest.mark.parametrize("name", SPECS)
def test_the_script_defines_the_same_module(name):
    """Same parameter names and shapes; with build_net's weights loaded, the same outputs."""
    built, copy = build_net(spec(name)).eval(), exported(spec(name)).eval()
    assert {k: v.shape for k, v in copy.state_dict().items()} == {k: v.shape for k, v in built.state_dict().items()}
    copy.load_state_dict(built.state_dict())
    x = example(spec(name), 3)
    with torch.no_grad():
        torch.testing.assert_close(copy(x), built(x))


def test_the_script_imports_only_torch():
    imports = {line for s in SPECS.values() for line in export_script(s).splitlines()
               if line.startswith(("import ", "from "))}
    assert imports == {"import torch", "from torch import nn"}


def test_helpers_appear_only_when_used():
    assert "class " not in export_script(spec("lenet"))
    lstm = export_script(spec("char_lstm"))
    assert "class SequenceOutput" in lstm and "class Residual" not in lstm
    nested = export_script(spec("nested"))
    assert "class Residual" in nested and "class Parallel" in nested and "class SequenceOutput" not in nested


def test_layers_read_as_torch_code():
    script = export_script(spec("lenet"))
    assert "nn.Conv2d(in_channels=1, out_channels=6, kernel_size=5, padding=2),  # -> 6 × 28 × 28" in script
    assert "nn.Linear(in_features=400, out_features=120)," in script
    assert "SequenceOutput(nn.LSTM(input_size=8, hidden_size=16, num_layers=2, dropout=0.1, batch_first=True))" \
        in export_script(spec("char_lstm"))
    assert "projection=nn.Conv2d(in_channels=8, out_channels=16, kernel_size=1, stride=2, bias=False)" \
        in export_script(spec("tiny_resnet"))
    assert "nn.Softmax(dim=-1)" in export_script(spec("mlp"))
