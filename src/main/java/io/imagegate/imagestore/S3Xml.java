package io.imagegate.imagestore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** Reads the two S3 XML answers {@link S3Blobs} needs: a ListObjectsV2 page and an error. No DTDs, no entities. */
final class S3Xml {
  private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

  static {
    FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
  }

  private S3Xml() {}

  /**
   * One page of ListObjectsV2.
   *
   * @param keys the object keys, prefix included
   * @param next the continuation token for the next page, or null on the last page
   */
  record Page(List<String> keys, String next) {}

  /** An S3 error answer's {@code Code} and {@code Message}; either may be null. */
  record Error(String code, String message) {}

  /** @throws IOException when the body is not a ListBucketResult, or says it is truncated without a token */
  static Page page(byte[] xml) throws IOException {
    List<String> keys = new ArrayList<>();
    boolean truncated = false;
    String next = null;
    boolean sawRoot = false;
    try {
      XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      List<String> path = new ArrayList<>();
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamReader.START_ELEMENT) {
          String name = r.getLocalName();
          if (path.isEmpty()) sawRoot = name.equals("ListBucketResult");
          path.add(name);
          String where = String.join("/", path);
          switch (where) {
            case "ListBucketResult/Contents/Key" -> keys.add(r.getElementText());
            case "ListBucketResult/IsTruncated" -> truncated = Boolean.parseBoolean(r.getElementText().trim());
            case "ListBucketResult/NextContinuationToken" -> next = r.getElementText();
            default -> { continue; }
          }
          path.removeLast(); // getElementText() consumed the end tag
        } else if (event == XMLStreamReader.END_ELEMENT) {
          path.removeLast();
        }
      }
    } catch (XMLStreamException e) {
      throw new IOException("the bucket's object list is not valid XML: " + e.getMessage(), e);
    }
    if (!sawRoot) throw new IOException("the bucket's object list is not a ListBucketResult");
    if (truncated && (next == null || next.isEmpty())) {
      throw new IOException("the bucket's object list is truncated but carries no NextContinuationToken");
    }
    return new Page(keys, truncated ? next : null);
  }

  /** The {@code Code} and {@code Message} of an {@code <Error>} body; both null when the body is not one. */
  static Error error(byte[] xml) {
    String code = null;
    String message = null;
    try {
      XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      int depth = 0;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamReader.START_ELEMENT) {
          depth++;
          if (depth == 1 && !r.getLocalName().equals("Error")) break;
          if (depth == 2 && r.getLocalName().equals("Code")) {
            code = r.getElementText();
            depth--;
          } else if (depth == 2 && r.getLocalName().equals("Message")) {
            message = r.getElementText();
            depth--;
          }
        } else if (event == XMLStreamReader.END_ELEMENT) {
          depth--;
        }
      }
    } catch (XMLStreamException e) {
      // not XML (a proxy's HTML page, an empty body): no code, no message
    }
    return new Error(code, message);
  }
}
