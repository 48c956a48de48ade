package io.imagebuilder.imagebuild.source;

/**
 * Bounds on what fetching a source may produce. A Dockerfile is parsed by the engine in one piece and cannot be
 * cancelled while it is, so its size is kept far below what a download may be; an archive's expanded size bounds the
 * disk an archive bomb can fill on the machine running the executor.
 */
public record SourceLimits(long maxDockerfileBytes, long maxContextBytes) {

    public static final long DEFAULT_DOCKERFILE_BYTES = 1L << 20;
    public static final long DEFAULT_CONTEXT_BYTES = 2L << 30;
    public static final SourceLimits DEFAULT = new SourceLimits(DEFAULT_DOCKERFILE_BYTES, DEFAULT_CONTEXT_BYTES);

    public SourceLimits {
        if (maxDockerfileBytes < 1 || maxContextBytes < 1) {
            throw new IllegalArgumentException("source limits must be positive");
        }
    }

    /** A null value means its default; the blueprint's constraints and the command line refuse values below 1. */
    public static SourceLimits of(Long maxDockerfileBytes, Long maxContextBytes) {
        return new SourceLimits(maxDockerfileBytes == null ? DEFAULT_DOCKERFILE_BYTES : maxDockerfileBytes,
                maxContextBytes == null ? DEFAULT_CONTEXT_BYTES : maxContextBytes);
    }
}
