"""The learned NER backend (``--ner learned``): a CRF tagger trained on this project's
corpora with silver labels from the rules (and Wojood's train split), shipped in
``benchmark/resources/ner/learned``, merged with the rules at extraction.

`features` (what the tagger sees of a word), `silver` (training texts and their
labels, without the evaluation records), `train` (``bench ner train``), `tagger` (a
model folder, loaded), `backend` (the backend). Nothing here imports python-crfsuite
until a model is trained or first used.
"""
