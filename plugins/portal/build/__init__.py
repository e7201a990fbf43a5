"""Building and publishing: run Pelican into a staging folder, check, index,
swap into place; deploy a checked build; the preview server and its fast
rebuilds. The top of the pipeline: it composes the stages and features."""
