package io.imagebuilder.imagebuild.source;

import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Writes a response body to a new file and fails as soon as it would exceed a size limit, before the excess is
 * written: a server cannot fill the disk, whatever its Content-Length says. Completes with the byte count.
 */
final class LimitedFileBody implements BodySubscriber<Long> {

    /** The body is larger than the limit. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super("too large");
        }
    }

    private final Path file;
    private final long limit;
    private final long declaredLength;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private FileChannel channel;
    private long written;

    /** @param declaredLength the Content-Length, or -1 */
    LimitedFileBody(Path file, long limit, long declaredLength) {
        this.file = file;
        this.limit = limit;
        this.declaredLength = declaredLength;
    }

    @Override
    public CompletionStage<Long> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declaredLength > limit) {
            fail(new TooLargeException());
            return;
        }
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            fail(e);
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) return;
        try {
            for (ByteBuffer b : buffers) {
                if (written + b.remaining() > limit) {
                    fail(new TooLargeException());
                    return;
                }
                while (b.hasRemaining()) written += channel.write(b);
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        close();
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        try {
            if (channel != null) channel.close();
            result.complete(written);
        } catch (IOException e) {
            result.completeExceptionally(e);
        }
    }

    private void fail(IOException e) {
        subscription.cancel();
        close();
        result.completeExceptionally(e);
    }

    private void close() {
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // the failure being reported matters more than a failed close
        }
    }
}
