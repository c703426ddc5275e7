"""The learned NER backend (``--ner learned``): a CRF tagger trained on this project's
corpora with silver labels from the rules (and Wojood's train split), shipped in
``benchmark/resources/ner/learned``, merged with the rules at extraction.

`features` (what the tagger sees of a word), `silver` (training texts and their
labels, without the evaluation records), `train` (``bench ner train``), `crf` (the
weights file and its numpy decoder), `tagger` (a model folder, loaded), `backend` (the
backend). Only training imports python-crfsuite; tagging needs numpy.
"""
