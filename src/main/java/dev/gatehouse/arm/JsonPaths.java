package dev.gatehouse.arm;

import java.util.List;
import tools.jackson.core.JacksonException;

/** JSON paths in the form ARM error targets use: {@code properties.listeners[0].name}. */
public final class JsonPaths {

    private JsonPaths() {}

    public static String of(List<JacksonException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            if (ref.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** Joins a parent path and a child segment: {@code join("properties", "listeners[0]")}. */
    public static String join(String parent, String child) {
        if (parent == null || parent.isEmpty()) {
            return child;
        }
        return child.startsWith("[") ? parent + child : parent + "." + child;
    }
}
