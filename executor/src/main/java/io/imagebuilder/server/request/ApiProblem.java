package io.imagebuilder.server.request;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An error answered as application/problem+json (RFC 9457); {@code errors} lists invalid fields, if any. */
public final class ApiProblem extends RuntimeException {

    /** One offending field: its JSON path inside the request, where it is, and what is wrong. */
    public record FieldError(String path, int line, int column, String message) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            if (line > 0) {
                m.put("line", line);
                m.put("column", column);
            }
            m.put("message", message);
            return m;
        }
    }

    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public ApiProblem(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ApiProblem of(int status, String title, String detail) {
        return new ApiProblem(status, title, detail, List.of());
    }

    public static ApiProblem notFound(String what) {
        return of(404, "Not Found", what + " does not exist");
    }

    public int status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "about:blank");
        m.put("title", title);
        m.put("status", status);
        m.put("detail", getMessage());
        if (!errors.isEmpty()) m.put("errors", errors.stream().map(FieldError::toJson).toList());
        return m;
    }
}
