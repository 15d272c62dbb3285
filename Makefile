# Two commands do all the set-up on a fresh machine:  make run  ·  make test
# Everything installs into .venv; slow artefacts (the llama.cpp wheel, the joined GGUF model)
# are cached under ~/.cache/newsrag so a second clone does not rebuild them.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CACHE  ?= $(HOME)/.cache/newsrag
INDEX  ?= index
DEMO   := data/demo/corpus.jsonl

# llama-cpp-python is built from source with a portable CPU backend: the default native build
# enables ggml's AMX kernels on Xeons that have them, and every real prompt then segfaults.
# pip's wheel cache ignores CMAKE_ARGS, so we build with --no-cache-dir into a folder named
# after the version and flags, and install only from there.
LLAMA_VERSION    := 0.3.36
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF
LLAMA_WHEELS     := $(CACHE)/wheels/llama-cpp-python-$(LLAMA_VERSION)-GGML_NATIVE-OFF
LOCAL_MODEL      := qwen2.5-1.5b

STAMP := $(VENV)/.installed

.PHONY: install run test test-fast bench demo-index lint clean

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip==25.3

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	@# torch first, pinned: the CPU wheel. A bare requirement would pull a multi-GB CUDA build.
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -c constraints.txt -e '.[sentence-transformers,dev,bench,milvus,ray]'
	@if ! ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1; then \
		echo "Building llama-cpp-python $(LLAMA_VERSION) with $(LLAMA_CMAKE_ARGS) (5-7 minutes, once)"; \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip wheel --no-cache-dir --no-deps -w $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_VERSION); \
	fi
	$(BIN)/pip install --no-cache-dir -c constraints.txt --find-links $(LLAMA_WHEELS) --only-binary llama-cpp-python llama-cpp-python==$(LLAMA_VERSION)
	NEWSRAG_MODELS_DIR=$${NEWSRAG_MODELS_DIR:-$(CACHE)/models} $(BIN)/python -m rag.models install $(LOCAL_MODEL)
	touch $@

demo-index: $(STAMP)
	@if [ ! -f $(INDEX)/corpus.sqlite ]; then $(BIN)/rag ingest $(DEMO) --index $(INDEX); fi

run: demo-index
	$(BIN)/rag tui --index $(INDEX)

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache
