package tally.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.builder.AstBuilder;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.control.CompilePhase;

/**
 * A Jenkinsfile as Groovy reads it (parsed to the CONVERSION phase, so a syntax error fails here as it
 * would on the controller), seen as a tree of calls: {@code stage('x') { steps { sh '...' } }} is a call
 * named stage whose body holds a call named steps, and so on. Only what the tests ask about is modelled.
 */
final class PipelineScript {

    /** One call with its arguments (a trailing closure becomes the body). */
    record Call(String name, MethodCallExpression node, List<Expression> args, List<Call> body, Call parent) {

        /** The first argument when it is a literal ({@code stage('unit')}, {@code sh '...'}), else empty. */
        Optional<String> literal() {
            return args.stream()
                    .filter(ConstantExpression.class::isInstance)
                    .map(arg -> String.valueOf(((ConstantExpression) arg).getValue()))
                    .findFirst();
        }

        /** A named argument given as a literal ({@code abortPrevious: true}). */
        Optional<Object> named(String key) {
            return args.stream()
                    .filter(MapExpression.class::isInstance)
                    .flatMap(arg -> ((MapExpression) arg).getMapEntryExpressions().stream())
                    .filter(entry -> key.equals(entry.getKeyExpression().getText()))
                    .map(MapEntryExpression::getValueExpression)
                    .filter(ConstantExpression.class::isInstance)
                    .map(value -> ((ConstantExpression) value).getValue())
                    .findFirst();
        }

        /** Whether a named argument is given at all, whatever its value ({@code qualityGates: [...]}). */
        boolean hasNamed(String key) {
            return args.stream()
                    .filter(MapExpression.class::isInstance)
                    .flatMap(arg -> ((MapExpression) arg).getMapEntryExpressions().stream())
                    .anyMatch(entry -> key.equals(entry.getKeyExpression().getText()));
        }

        /** This call and every call in its body, depth first, in source order. */
        Stream<Call> descendants() {
            return Stream.concat(Stream.of(this), body.stream().flatMap(Call::descendants));
        }

        Stream<Call> ancestors() {
            return parent == null ? Stream.empty() : Stream.concat(Stream.of(parent), parent.ancestors());
        }

        /** Direct children named {@code name} ({@code steps}, {@code post}, {@code when}, ...). */
        Stream<Call> children(String name) {
            return body.stream().filter(call -> call.name.equals(name));
        }

        boolean contains(Predicate<Call> predicate) {
            return body.stream().flatMap(Call::descendants).anyMatch(predicate);
        }

        // A call knows its parent and its body: the generated members would recurse forever.
        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return name + literal().map(value -> "('" + value + "')").orElse("") + " at line " + node.getLineNumber();
        }
    }

    private final String source;
    private final List<Call> roots;
    private final List<String> allCallNames;

    private PipelineScript(String source, List<Call> roots, List<String> allCallNames) {
        this.source = source;
        this.roots = roots;
        this.allCallNames = allCallNames;
    }

    static PipelineScript parse(String source) {
        List<ASTNode> nodes = new AstBuilder().buildFromString(CompilePhase.CONVERSION, true, source);
        BlockStatement script = (BlockStatement) nodes.get(0);
        List<String> names = new ArrayList<>();
        script.visit(new CodeVisitorSupport() {
            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                names.add(call.getMethodAsString());
                super.visitMethodCallExpression(call);
            }
        });
        return new PipelineScript(source, calls(script, null), names);
    }

    /** The calls at the top of the file ({@code pipeline}). */
    List<Call> roots() {
        return roots;
    }

    Stream<Call> all() {
        return roots.stream().flatMap(Call::descendants);
    }

    Stream<Call> named(String name) {
        return all().filter(call -> call.name().equals(name));
    }

    /** Every method name called anywhere, also inside arguments ({@code aws(...)} in withCredentials). */
    List<String> allCallNames() {
        return allCallNames;
    }

    /** The character where an expression starts in the source, e.g. the quote that opens a string. */
    char firstCharOf(Expression expression) {
        int line = expression.getLineNumber();
        int column = expression.getColumnNumber();
        if (line < 1 || column < 1) {
            throw new IllegalStateException("no source position for " + expression.getText());
        }
        return source.lines().skip(line - 1L).findFirst().orElseThrow().charAt(column - 1);
    }

    private static List<Call> calls(Statement statement, Call parent) {
        List<Call> calls = new ArrayList<>();
        List<Statement> statements = statement instanceof BlockStatement block ? block.getStatements() : List.of(statement);
        for (Statement each : statements) {
            if (each instanceof ExpressionStatement expression
                    && expression.getExpression() instanceof MethodCallExpression call) {
                calls.add(call(call, parent));
            }
        }
        return calls;
    }

    private static Call call(MethodCallExpression node, Call parent) {
        List<Expression> args = new ArrayList<>();
        Expression arguments = node.getArguments();
        if (arguments instanceof TupleExpression tuple) {
            args.addAll(tuple.getExpressions());
        } else {
            args.add(arguments);
        }
        ClosureExpression closure = null;
        if (!args.isEmpty() && args.get(args.size() - 1) instanceof ClosureExpression last) {
            closure = last;
            args.remove(args.size() - 1);
        }
        List<Call> body = new ArrayList<>();
        Call call = new Call(node.getMethodAsString(), node, List.copyOf(args), body, parent);
        if (closure != null) {
            body.addAll(calls(closure.getCode(), call));
        }
        return call;
    }
}
