import { Injectable } from '@nestjs/common';
import { badRequest } from '../common/app-error';
import { EmployeeSnapshot } from '../employees/employees.events';
import { employeeSnapshot, EmployeesService } from '../employees/employees.service';
import { MediaStorage } from '../media/media-storage';
import { Broadcaster } from '../realtime/broadcaster';
import { EMPLOYEE_IMAGES } from './attendance-image-urls';

/**
 * Employee photos for face recognition. The employee itself belongs to the
 * shared employees module: the photo is stored here and set through
 * EmployeesService.setImage, whose employees.updated event every gateway
 * renders (here: employee_update). When an employee is deleted, so is its
 * photo: a face is personal data, kept no longer than its owner's record.
 */
@Injectable()
export class AttendanceEmployeesService {
  constructor(
    private readonly employees: EmployeesService,
    private readonly media: MediaStorage,
    broadcaster: Broadcaster,
  ) {
    broadcaster.on('employees.deleted', ({ employee }) => void this.media.deleteQuietly([employee.image_path]));
  }

  async list(): Promise<EmployeeSnapshot[]> {
    return (await this.employees.list()).map(employeeSnapshot);
  }

  async setImage(id: number, image: { buffer: Buffer } | undefined): Promise<EmployeeSnapshot> {
    if (!image) throw badRequest('image is required: a JPEG, PNG, WebP or GIF file in the multipart field "image"');
    const previous = (await this.employees.get(id)).imagePath;
    const saved = await this.media.withImage(image, EMPLOYEE_IMAGES, (path) => this.employees.setImage(id, path));
    if (previous && previous !== saved.imagePath) await this.media.deleteQuietly([previous]);
    return employeeSnapshot(saved);
  }

  async removeImage(id: number): Promise<EmployeeSnapshot> {
    const previous = (await this.employees.get(id)).imagePath;
    const saved = await this.employees.setImage(id, null);
    await this.media.deleteQuietly([previous]);
    return employeeSnapshot(saved);
  }
}
