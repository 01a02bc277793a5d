/** The Text page's fields that act when they change: live controls, and the corpus preview (its state is a plain `PageState`). */

/** Fields that may change without ending the current run: they are sent to it as live controls. */
export const LIVE_FIELDS = ["learning_rate", "sample_temperature"];

/** The configuration fields whose change means another corpus preview. */
export const CORPUS_FIELDS = ["corpus", "val_fraction"];
