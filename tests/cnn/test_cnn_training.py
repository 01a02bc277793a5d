"""The CNN task trains: LeNet-5 beats the MLP on the built-in set, every preset trains, events are what docs/api.md says."""
from __future__ import annotations

import pytest
from cnn_world import job, net, train

from playground.nets import inspect_net
from playground.tasks.checkpoint import OPTIMIZER_JSON, file_name, read_state
from playground.tasks.cnn.lessons import LESSONS, NETS, PRESETS, TRAINING


@pytest.mark.slow
def test_lenet5_reaches_clearly_higher_test_accuracy_than_the_mlp_in_the_same_epochs():
    accuracy = {}
    for name in ("mlp", "lenet5"):
        recorder, _ = train(net=net(name), train_examples=3000, test_examples=500, epochs=3, batch_size=64,
                            report_every=1000, misclassified=0, **TRAINING[name])
        accuracy[name] = recorder.metrics("test")[-1]["accuracy"]
    assert accuracy["lenet5"] >= accuracy["mlp"] + 0.1, accuracy
    assert accuracy["lenet5"] > 0.75, accuracy


@pytest.mark.parametrize("name", list(NETS))
def test_every_preset_builds_trains_an_epoch_and_its_feature_maps_have_the_inspected_shapes(name, tmp_path):
    recorder, config = train(checkpoint_dir=tmp_path, net=net(name), **TRAINING[name])
    assert recorder.metrics("test")[-1]["epoch"] == 1
    answer = job("predict", tmp_path, config, index=0)
    inspected = {row["path"]: row["output_shape"] for row in inspect_net(NETS[name])["layers"]}
    convs = [row["path"] for row in inspect_net(NETS[name])["layers"] if row["type"] == "Conv2d"]
    assert [m["path"] for m in answer["feature_maps"]] == convs
    for maps in answer["feature_maps"]:
        assert maps["shape"] == inspected[maps["path"]] == maps["inspected_shape"]
        assert maps["picture"].startswith("data:image/png;base64,")
    assert len(answer["probabilities"]) == 10 and abs(sum(answer["probabilities"]) - 1) < 1e-3


def test_a_run_emits_its_metrics_speed_confusion_mistakes_filters_and_a_checkpoint(tmp_path):
    recorder, _ = train(checkpoint_dir=tmp_path, epochs=2, report_every=1, misclassified=5)
    assert [m["epoch"] for m in recorder.metrics("test")] == [1, 2]
    assert len(recorder.metrics("train")) >= 4  # every step: 2 a epoch
    assert recorder.metrics("speed")[-1]["images_per_second"] > 0
    confusion = recorder.named("confusion")[-1]
    assert confusion["labels"] == list("0123456789") and sum(map(sum, confusion["matrix"])) == 40
    mistakes = recorder.named("misclassified")[-1]
    assert len(mistakes["rows"]) == len(mistakes["pictures"]) <= 5
    assert all(row[1] != row[2].split(" ")[0] for row in mistakes["rows"])  # the best guess is wrong
    filters = recorder.named("filters")
    assert [f["epoch"] for f in filters] == [0, 1, 2] and filters[-1]["width"] > 0
    assert recorder.named("dataset")[0]["shape"] == [1, 28, 28]
    assert (tmp_path / "state.json").is_file()


def test_schedules_smoothing_decay_and_augmentation_all_train(tmp_path):
    recorder, _ = train(optimizer="sgd", schedule="one_cycle", weight_decay=1e-3, label_smoothing=0.1,
                        augment=["crop", "flip", "rotate"], epochs=2)
    assert all(m["loss"] is not None for m in recorder.metrics("train"))


def test_the_lessons_hold_six_presets_with_their_parameter_counts_and_the_vgg_arithmetic():
    assert sorted(PRESETS) == sorted(NETS) and len(LESSONS) == 3
    for preset in PRESETS.values():
        assert f"{inspect_net(preset['config']['net'])['total_params']:,} parameters" in preset["description"]
    assert "27C² against 49C²" in PRESETS["vgg"]["description"]
    assert any(layer["type"] == "Residual" for layer in NETS["resnet"]["layers"])
    assert any(layer["type"] == "Parallel" for layer in NETS["googlenet"]["layers"])


def test_a_learning_rate_sent_while_training_reaches_the_optimiser(tmp_path):
    import json

    from cnn_world import Recorder

    from playground.tasks.base import Control, RunContext
    from playground.tasks.cnn import CnnTask

    class Once(Control):
        sent = False

        def check(self):
            if self.sent:
                return {}
            self.sent = True
            return {"learning_rate": 0.0005}

    config = CnnTask.Config(train_examples=64, test_examples=40, epochs=1, batch_size=32)
    CnnTask().run(config, RunContext(emit=Recorder(), control=Once(), checkpoint_dir=tmp_path))
    groups = json.loads((tmp_path / file_name(OPTIMIZER_JSON, read_state(tmp_path)["generation"])).read_text())["param_groups"]
    assert [group["lr"] for group in groups] == [0.0005, 0.0005]
    assert CnnTask.Controls(learning_rate=0.01).learning_rate == 0.01
