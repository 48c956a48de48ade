/**
 * Small helpers on maps, file trees and SSH files, with no knowledge of the product.
 */
package io.imagebuilder.util;
