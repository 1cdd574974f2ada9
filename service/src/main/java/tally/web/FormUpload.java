package tally.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import tally.http.Problem;
import tally.ingest.Ingest;
import tally.store.DatasetIds;
import tally.store.DatasetMeta;
import tally.store.DatasetStore;

/**
 * {@code POST /datasets}: the dataset form without script, a plain {@code multipart/form-data} post
 * streamed through the same {@link Ingest} pipeline as the API. The CSRF field comes first in the
 * form, and the pipeline checks it before it accepts a byte of the pasted text or the file. Success
 * redirects to the result page (303); a refusal shows the form again with a message.
 */
public final class FormUpload implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(FormUpload.class.getName());
    /** The form's textarea: pasted lines are data, joined with the file part by the pipeline. */
    static final String TEXT_FIELD = "text";

    private final Ingest ingest;
    private final DatasetStore store;
    private final FormPage form;
    private final CsrfToken csrf;
    private final long maxUploadBytes;

    public FormUpload(Ingest ingest, DatasetStore store, FormPage form, CsrfToken csrf, long maxUploadBytes) {
        this.ingest = ingest;
        this.store = store;
        this.form = form;
        this.csrf = csrf;
        this.maxUploadBytes = maxUploadBytes;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        // What was typed, to fill the form in again if the submission is refused.
        PastedText pasted = new PastedText();
        AtomicReference<String> typedName = new AtomicReference<>("");
        Ingest.Options options = new Ingest.Options(
                fields -> {
                    typedName.set(fields.getOrDefault("name", ""));
                    return csrf.matches(exchange, fields.get(CsrfToken.FIELD)) ? null
                            : Problem.of(StatusCodes.FORBIDDEN, "Forbidden",
                                    "the form's CSRF token is missing or does not match its cookie");
                },
                Set.of(TEXT_FIELD), pasted);
        ingest.start(exchange, DatasetIds.newId(), null, options, new Ingest.Listener() {
            @Override
            public void completed(HttpServerExchange ex, DatasetMeta meta) {
                onWorker(ex, () -> accept(ex, meta, pasted.text()));
            }

            @Override
            public void failed(HttpServerExchange ex, Problem problem) {
                if (!ex.isRequestComplete()) {
                    // The rest of the body (maybe a gigabyte) is not worth reading: answer, then close.
                    ex.setPersistent(false);
                }
                onWorker(ex, () -> refuse(ex, problem, typedName.get(), pasted.text()));
            }
        });
    }

    private void accept(HttpServerExchange exchange, DatasetMeta meta, String text) {
        FormPage.FormError refusal = SubmissionCheck.refusal(meta.counters());
        if (refusal == null) {
            PageResponse.seeOther(exchange, "/datasets/" + meta.id());
            return;
        }
        try {
            store.delete(meta.id());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not remove refused dataset " + meta.id(), e);
        }
        form.showAgain(exchange, StatusCodes.UNPROCESSABLE_ENTITY, nameOf(meta), text, refusal);
    }

    private void refuse(HttpServerExchange exchange, Problem problem, String name, String text) {
        form.showAgain(exchange, problem.status(), name, text, explain(problem));
    }

    /** The pipeline's problems, reworded for a person looking at the form. */
    private FormPage.FormError explain(Problem problem) {
        return switch (problem.status()) {
            case StatusCodes.FORBIDDEN -> new FormPage.FormError("This form has expired",
                    "The page was open too long, or cookies are blocked for this site. Reload the page and "
                            + "submit again.");
            case StatusCodes.REQUEST_ENTITY_TOO_LARGE -> new FormPage.FormError("That file is too large",
                    "This server takes up to " + Numbers.limit(maxUploadBytes) + " per dataset (after "
                            + "decompression too). Split the file, or ask the operator to raise --max-upload-bytes.");
            case StatusCodes.SERVICE_UNAVAILABLE -> new FormPage.FormError("The server is busy",
                    "It is handling as many uploads as it can, or it is restarting. Try again in a moment.");
            case 507 -> new FormPage.FormError("The server is out of space",
                    "Nothing of this upload was kept: the server has no disk space left for datasets. Try again "
                            + "later, or tell the server's operator.");
            default -> problem.status() >= 500 ? new FormPage.FormError("Something went wrong on the server",
                    "The upload was not kept. The error has been logged; try again in a moment.")
                    : new FormPage.FormError("The upload could not be read",
                    sentence(problem.detail()) + " Check the file and submit again.");
        };
    }

    private static String nameOf(DatasetMeta meta) {
        return meta.name() == null || meta.name().equals(meta.id()) ? "" : meta.name();
    }

    private static String sentence(String detail) {
        if (detail == null || detail.isBlank()) {
            return "The server could not read the submission.";
        }
        String text = Character.toUpperCase(detail.charAt(0)) + detail.substring(1);
        return text.endsWith(".") ? text : text + ".";
    }

    private static void onWorker(HttpServerExchange exchange, Runnable task) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "form upload failed while answering", e);
                if (!exchange.isResponseStarted()) {
                    exchange.setStatusCode(StatusCodes.INTERNAL_SERVER_ERROR);
                    exchange.endExchange();
                }
            }
        };
        if (exchange.isInIoThread()) {
            exchange.dispatch(guarded);
        } else {
            guarded.run();
        }
    }
}
