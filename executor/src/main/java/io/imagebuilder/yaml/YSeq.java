package io.imagebuilder.yaml;

import io.imagebuilder.problem.Location;
import java.util.ArrayList;
import java.util.List;

public record YSeq(List<YNode> items, Location location) implements YNode {

    public YSeq {
        items = List.copyOf(items);
    }

    public int size() {
        return items.size();
    }

    public YNode get(int index) {
        return items.get(index);
    }

    @Override
    public Object toPlain() {
        List<Object> out = new ArrayList<>(items.size());
        for (YNode item : items) out.add(item.toPlain());
        return out;
    }

    @Override
    public String describe() {
        return "a list";
    }
}
