"""Self-checks for the exercises: call one right under your answer.

``from helpers.checks import check_softmax`` works for every check. The shared machinery
(`CheckResult`, strict mode, the generic `check_number`, `check_array` and
`check_function`) is in `helpers.checks.core`; each chapter's checks are in their own short
module, `helpers.checks.ch01` to `helpers.checks.ch09`, so chapter 7's `check_cosine_lr` is
found in `helpers/checks/ch07.py`.
"""

from helpers.checks.ch01 import (
    check_avg_pool,
    check_dense_weights_for_maps,
    check_flatten_size_32,
    check_pooled_size,
    check_softmax,
)
from helpers.checks.ch02 import (
    MNIST_TEST_COUNTS,
    MNIST_TRAIN_COUNTS,
    check_examples_of,
    check_mean_ink,
    check_n_sevens,
)
from helpers.checks.ch03 import check_flattened, check_prepare, check_test_bytes
from helpers.checks.ch04 import (
    SAME_PADDING_LAYERS,
    check_dense_without_last_pool,
    check_extra_params_32,
    check_one_by_one_params,
    check_params_with_filters,
    check_same_padding_model,
    check_three_stacked_params,
)
from helpers.checks.ch05 import (
    check_best_epoch,
    check_cross_entropy,
    check_learning_rate_histories,
    check_loss_for_one_hot,
)
from helpers.checks.ch06 import (
    check_most_confused_pair,
    check_overfitting,
    check_precision_recall,
    check_top2_accuracy,
)
from helpers.checks.ch07 import (
    check_block3_params,
    check_cosine_lr,
    check_label_preserving,
    check_rule_decisions,
)
from helpers.checks.ch08 import (
    check_conv2d_2_values,
    check_occlude,
    check_pixels_that_can_change,
    check_receptive_field_5x5,
)
from helpers.checks.ch09 import check_box_size, check_center_of_mass, check_invert_if_light
from helpers.checks.core import (
    SHOW_EXPECTED_ENV_VAR,
    STRICT_ENV_VAR,
    CheckFailed,
    CheckResult,
    check_array,
    check_function,
    check_number,
    show_expected,
    strict,
)

__all__ = [
    "MNIST_TEST_COUNTS",
    "MNIST_TRAIN_COUNTS",
    "SAME_PADDING_LAYERS",
    "SHOW_EXPECTED_ENV_VAR",
    "STRICT_ENV_VAR",
    "CheckFailed",
    "CheckResult",
    "check_array",
    "check_avg_pool",
    "check_best_epoch",
    "check_block3_params",
    "check_box_size",
    "check_center_of_mass",
    "check_conv2d_2_values",
    "check_cosine_lr",
    "check_cross_entropy",
    "check_dense_weights_for_maps",
    "check_dense_without_last_pool",
    "check_examples_of",
    "check_extra_params_32",
    "check_flatten_size_32",
    "check_flattened",
    "check_function",
    "check_invert_if_light",
    "check_label_preserving",
    "check_learning_rate_histories",
    "check_loss_for_one_hot",
    "check_mean_ink",
    "check_most_confused_pair",
    "check_overfitting",
    "check_n_sevens",
    "check_number",
    "check_occlude",
    "check_one_by_one_params",
    "check_pixels_that_can_change",
    "check_params_with_filters",
    "check_pooled_size",
    "check_precision_recall",
    "check_prepare",
    "check_receptive_field_5x5",
    "check_rule_decisions",
    "check_same_padding_model",
    "check_softmax",
    "check_test_bytes",
    "check_three_stacked_params",
    "check_top2_accuracy",
    "show_expected",
    "strict",
]
