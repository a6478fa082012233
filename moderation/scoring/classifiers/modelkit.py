"""Builds models with random weights in the formats Agora loads, without any download.

A Detoxify checkpoint (`{"config": …, "state_dict": …}` plus a Hugging Face config and tokenizer
folder) and a sentence-transformers model folder. The tests use tiny ones, the benchmark the real
architectures' sizes, and `manage.py build_demo_models` tiny ones for trying the pipeline on a
machine without network access. Their scores mean nothing.
"""

from __future__ import annotations

from pathlib import Path

import torch
import transformers

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
LETTERS = list("abcdefghijklmnopqrstuvwxyzäöüß0123456789.,;:!?'\"()-/")
WORDS = """die der das und ist nicht ein eine zu den mit sich des auf für im dem von sie es
auch an werden aus er hat dass wie stadt radweg radwege rat innenstadt parkplätze danke genau
artikel kommentar gut schlecht idiot dumm the and is not a an to of in for on with that this it
city council cycle lanes ferry harbour thanks great agree article comment good bad stupid""".split()

LABELS = [
    "toxic",
    "severe_toxic",
    "obscene",
    "identity_attack",
    "insult",
    "threat",
    "sexual_explicit",
]


def write_vocab(folder: Path, words: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    tokens = SPECIAL + LETTERS + [f"##{c}" for c in LETTERS] + (words or WORDS)
    path = folder / "vocab.txt"
    path.write_text("\n".join(dict.fromkeys(tokens)) + "\n")
    return path


def vocab_size(folder: Path) -> int:
    return len((folder / "vocab.txt").read_text().splitlines())


def tiny_bert_config(size: int, **overrides) -> transformers.BertConfig:
    settings = {
        "vocab_size": size,
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "max_position_embeddings": 64,
    }
    settings.update(overrides)
    return transformers.BertConfig(**settings)


def build_detoxify_checkpoint(
    root: Path,
    *,
    config: transformers.PretrainedConfig,
    model_name: str,
    tokenizer_name: str,
    max_length: int,
    seed: int = 0,
    bias: float = 0.0,
) -> tuple[Path, Path]:
    """(checkpoint file, config folder) as Detoxify(checkpoint=…, huggingface_config_path=…) takes.

    The config folder is also the checkpoint's `model_type`, so nothing refers to the hub.
    """
    config_dir = root / "toxicity-config"
    write_vocab(config_dir)
    config.num_labels = len(LABELS)
    config.save_pretrained(config_dir)
    tokenizer = getattr(transformers, tokenizer_name)(
        vocab_file=str(config_dir / "vocab.txt"), model_max_length=max_length
    )
    tokenizer.save_pretrained(config_dir)
    torch.manual_seed(seed)
    model = getattr(transformers, model_name)(config)
    with torch.no_grad():
        # Random heads answer ~0.5 for everything; a wider spread makes texts tell apart.
        for parameter in model.classifier.parameters():
            parameter.mul_(40)
        # A negative bias makes every score low, for a demo in which most comments pass.
        model.classifier.bias.add_(bias)
    checkpoint = save_detoxify_checkpoint(
        root / "toxicity.ckpt", model, config_dir=config_dir, tokenizer_name=tokenizer_name
    )
    return checkpoint, config_dir


def save_detoxify_checkpoint(
    path: Path, model: torch.nn.Module, *, config_dir: Path, tokenizer_name: str
) -> Path:
    """The model in Detoxify's checkpoint format: its training config and its state dict."""
    torch.save(
        {
            "config": {
                "arch": {
                    "args": {
                        "model_type": str(config_dir),
                        "model_name": type(model).__name__,
                        "tokenizer_name": tokenizer_name,
                        "num_classes": len(LABELS),
                    }
                },
                "dataset": {"args": {"classes": LABELS}},
            },
            "state_dict": model.state_dict(),
        },
        path,
    )
    return path


def build_sentence_model(
    root: Path, *, config: transformers.PretrainedConfig, max_length: int, seed: int = 1
) -> Path:
    """A sentence-transformers folder: a transformer with mean pooling, as the real models have."""
    encoder_dir = root / "relevance-encoder"
    write_vocab(encoder_dir)
    torch.manual_seed(seed)
    transformers.BertModel(config).save_pretrained(encoder_dir)
    transformers.BertTokenizerFast(
        vocab_file=str(encoder_dir / "vocab.txt"), model_max_length=max_length
    ).save_pretrained(encoder_dir)
    return save_sentence_model(root / "relevance", encoder_dir=encoder_dir, max_length=max_length)


def save_sentence_model(path: Path, *, encoder_dir: Path, max_length: int) -> Path:
    """The saved encoder with mean pooling on top, as a sentence-transformers folder."""
    from sentence_transformers import SentenceTransformer, models

    encoder = models.Transformer(str(encoder_dir), max_seq_length=max_length)
    pooling = models.Pooling(encoder.get_word_embedding_dimension(), "mean")
    SentenceTransformer(modules=[encoder, pooling], device="cpu").save(str(path))
    return path


def build_tiny_models(root: Path, *, bias: float = 0.0) -> dict[str, str]:
    """Tiny models and the settings that point Agora at them."""
    size = len(SPECIAL) + 2 * len(LETTERS) + len(WORDS)
    checkpoint, config_dir = build_detoxify_checkpoint(
        root,
        config=tiny_bert_config(size),
        model_name="BertForSequenceClassification",
        tokenizer_name="BertTokenizerFast",
        max_length=64,
        bias=bias,
    )
    relevance = build_sentence_model(root, config=tiny_bert_config(size), max_length=64)
    return {
        "MODERATION_TOXICITY_CHECKPOINT": str(checkpoint),
        "MODERATION_TOXICITY_CONFIG_DIR": str(config_dir),
        "MODERATION_RELEVANCE_MODEL": str(relevance),
        "MODERATION_DEVICE": "cpu",
    }


def build_sentencepiece_tokenizer(folder: Path, corpus: list[str], vocab_size: int) -> Path:
    """An XLM-RoBERTa tokenizer (the multilingual models' kind) trained on the given text."""
    import io

    import sentencepiece

    buffer = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_writer=buffer,
        vocab_size=vocab_size,
        model_type="unigram",
        hard_vocab_limit=False,
        minloglevel=2,
    )
    folder.mkdir(parents=True, exist_ok=True)
    model_file = folder / "sentencepiece.bpe.model"
    model_file.write_bytes(buffer.getvalue())
    transformers.XLMRobertaTokenizer(
        vocab_file=str(model_file), model_max_length=512
    ).save_pretrained(folder)
    return folder


def build_multilingual_models(root: Path, corpus: list[str]) -> dict[str, str]:
    """The default models' architectures with random weights: Detoxify's `multilingual`
    (XLM-RoBERTa base) and paraphrase-multilingual-MiniLM-L12-v2 (a 12-layer, 384-wide BERT),
    both with an XLM-RoBERTa sentencepiece tokenizer."""
    config_dir = build_sentencepiece_tokenizer(root / "toxicity-config", corpus, 8000)
    config = transformers.XLMRobertaConfig(
        vocab_size=250002,
        hidden_size=768,
        num_hidden_layers=12,
        num_attention_heads=12,
        intermediate_size=3072,
        max_position_embeddings=514,
        type_vocab_size=1,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        num_labels=len(LABELS),
    )
    config.save_pretrained(config_dir)
    model = transformers.XLMRobertaForSequenceClassification(config)
    checkpoint = save_detoxify_checkpoint(
        root / "multilingual.ckpt",
        model,
        config_dir=config_dir,
        tokenizer_name="XLMRobertaTokenizer",
    )
    del model

    encoder_dir = build_sentencepiece_tokenizer(root / "relevance-encoder", corpus, 8000)
    transformers.BertModel(
        transformers.BertConfig(
            vocab_size=250037,
            hidden_size=384,
            num_hidden_layers=12,
            num_attention_heads=12,
            intermediate_size=1536,
            max_position_embeddings=512,
        )
    ).save_pretrained(encoder_dir)
    relevance = save_sentence_model(root / "relevance", encoder_dir=encoder_dir, max_length=128)
    return {
        "MODERATION_TOXICITY_CHECKPOINT": str(checkpoint),
        "MODERATION_TOXICITY_CONFIG_DIR": str(config_dir),
        "MODERATION_RELEVANCE_MODEL": str(relevance),
    }
